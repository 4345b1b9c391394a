import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type SecretsProvider, secretsFromSecretsManager } from '../config/secrets.ts';
import { StateStore } from '../storage/state-store.ts';

/*
 * The bot's AWS SDK clients, which it imports on first use only. Named imports in one small
 * module let the bundler leave out the commands the bot never sends.
 */

/** Opens the state store on a DynamoDB client configured from the environment. */
export function openStateStore(tableName: string): StateStore {
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });

  return new StateStore(dynamo, tableName);
}

/** Reads the secret from Secrets Manager with a client configured from the environment. */
export function sdkSecrets(secretId: string): SecretsProvider {
  return secretsFromSecretsManager(new SecretsManagerClient({}), secretId);
}
