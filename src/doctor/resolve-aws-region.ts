import { loadSharedConfigFiles } from '@smithy/core/config';

/** How to set a region, for messages about a missing one. */
export const AWS_REGION_FIX =
  'export AWS_REGION=<the region the stack is deployed to>, for example AWS_REGION=eu-west-1, ' +
  'or set region in the profile of ~/.aws/config';

/**
 * Finds the AWS region the way the SDK does: `AWS_REGION` (or `AWS_DEFAULT_REGION`, which the AWS
 * CLI reads), then the `region` of the profile in the shared credentials and config files. The
 * SDK's last source is a request to the EC2 instance metadata address (169.254.169.254, in
 * @smithy/core 3.41), which outside EC2 only times out, so this returns null instead.
 */
export async function resolveAwsRegion(env: NodeJS.ProcessEnv): Promise<string | null> {
  const fromEnv = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  if (fromEnv) return fromEnv;
  const { configFile, credentialsFile } = await loadSharedConfigFiles({
    configFilepath: env.AWS_CONFIG_FILE || '~/.aws/config',
    filepath: env.AWS_SHARED_CREDENTIALS_FILE || '~/.aws/credentials',
    ignoreCache: true,
  });
  const profile = env.AWS_PROFILE || 'default';
  // The SDK's region loader prefers the credentials file when both files name a region.
  const region = credentialsFile[profile]?.region ?? configFile[profile]?.region;

  return region?.trim() || null;
}
