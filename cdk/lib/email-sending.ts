import { Stack } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import type { AdreportConfig } from '../../src/config/schema.ts';

/** Whether the stack creates the sender's SES identity or uses one managed elsewhere. */
export type SenderIdentityMode = 'create' | 'existing';

/**
 * Creates an SES email-address identity for the configured sender; SES then mails a verification
 * link to that address. Skip it (`existing`) when the address or its domain is already an identity
 * in this account and region, because CloudFormation cannot create an identity that exists.
 */
export function createSenderIdentity(
  scope: Construct,
  config: AdreportConfig,
  mode: SenderIdentityMode,
): EmailIdentity | null {
  if (mode === 'existing') return null;

  return new EmailIdentity(scope, 'SenderIdentity', {
    identity: Identity.email(config.email.sender),
  });
}

/**
 * Grants `ses:SendEmail` and `ses:SendRawEmail` with the configured sender as the From address.
 * The resources are the sender's address and domain identities, because SES authorizes against
 * whichever of them is verified. The recipients' addresses and domains are listed as well.
 * NOTE: that is for the SES sandbox, where SES reportedly checks each recipient's identity against
 * the policy too (AccessDenied on `identity/<recipient>`); AWS documents no such rule in detail.
 */
export function grantSendEmail(grantee: IGrantable, scope: Construct, config: AdreportConfig) {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: emailIdentityArns(scope, config),
      conditions: { StringEquals: { 'ses:FromAddress': config.email.sender } },
    }),
  );
}

/** Returns the SES identity ARNs of every address in the config and of their domains. */
export function emailIdentityArns(scope: Construct, config: AdreportConfig): string[] {
  const addresses = [
    config.email.sender,
    ...config.email.opsRecipients,
    ...config.reports.flatMap((report) => report.recipients),
  ];
  const identities = new Set<string>();
  for (const address of addresses) {
    identities.add(address);
    identities.add(address.slice(address.lastIndexOf('@') + 1).toLowerCase());
  }
  const stack = Stack.of(scope);

  return [...identities]
    .sort()
    .map((identity) =>
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
    );
}
