import {
  GetIdentityVerificationAttributesCommand,
  GetSendQuotaCommand,
  type SESClient,
} from '@aws-sdk/client-ses';
import { z } from 'zod';
import {
  type CheckResult,
  type CheckSection,
  errorMessage,
  fail,
  pass,
  warn,
} from './check-result.ts';
import {
  bodyExcerpt,
  describeBadResponse,
  describeRequestError,
} from './describe-request-error.ts';
import type { DoctorContext } from './doctor-context.ts';
import { AWS_REGION_FIX } from './resolve-aws-region.ts';

/** SES gives an account in the sandbox a quota of 200 messages in 24 hours. */
export const SANDBOX_DAILY_QUOTA = 200;

/** GetIdentityVerificationAttributes accepts at most 100 identities per call. */
const IDENTITIES_PER_CALL = 100;

const ENDPOINT_FIX =
  'check AWS_REGION (the region the stack is deployed to) and, when set, AWS_ENDPOINT_URL_SES ' +
  '(unset it to use the real SES endpoint of the region)';

const CREDENTIALS_FIX =
  'check the AWS credentials and AWS_REGION (the region the stack is deployed to)';

/** Fields of an AWS JSON error body, which services spell in either case. */
const jsonErrorSchema = z.object({
  __type: z.string().optional(),
  code: z.string().optional(),
  Code: z.string().optional(),
  message: z.string().optional(),
  Message: z.string().optional(),
});

const quotaSchema = z.object({ Max24HourSend: z.number().nonnegative() });
const verificationSchema = z.object({
  VerificationAttributes: z.record(
    z.string(),
    z.object({ VerificationStatus: z.string().optional() }),
  ),
});

/** An SES response with an unexpected shape, e.g. an HTML page from a proxy. */
class SesAnswerError extends Error {
  constructor(readonly status: number | undefined) {
    super('not an SES response');
  }
}

const VERIFY_FIX = 'verify it in the SES console (Identities > Create identity) in the same region';

/**
 * Checks that the sender is a verified SES identity (the address or its domain) and whether the
 * account is in the sandbox, where `GetSendQuota` reports 200 messages a day. In the sandbox it
 * also checks that every recipient is verified, because SES rejects mail to anyone else.
 */
export async function checkSes(context: DoctorContext): Promise<CheckSection> {
  let title = 'Amazon SES';
  const { ses } = context;
  if (!ses) {
    return {
      title,
      results: [fail('AWS region', 'not set, so SES was not checked', AWS_REGION_FIX)],
    };
  }
  let region: string | undefined;
  try {
    region = await ses.config.region();
    title = `Amazon SES (${region})`;
    const results = [await checkSender(context, ses)];
    const quota = await ses.send(new GetSendQuotaCommand({}));
    const dailyQuota = parseAnswer(quotaSchema, quota).Max24HourSend;
    if (dailyQuota > SANDBOX_DAILY_QUOTA) {
      results.push(pass('Sending quota', `production access, ${dailyQuota} messages a day`));

      return { title, results };
    }
    results.push(
      warn(
        'Sandbox',
        `the account is in the SES sandbox in ${region}: ${dailyQuota} messages a day, to verified addresses only`,
        'request production access: SES console > Account dashboard > Request production access',
      ),
      ...(await checkRecipients(context, ses)),
    );

    return { title, results };
  } catch (error) {
    return { title, results: [await describeFailure(context, ses, region, error)] };
  }
}

/** Turns a failed SES call into one line that names the endpoint and what went wrong. */
async function describeFailure(
  context: DoctorContext,
  ses: SESClient,
  region: string | undefined,
  error: unknown,
): Promise<CheckResult> {
  const url = await endpointUrl(context, ses, region);
  if (error instanceof SesAnswerError) {
    return fail('SES', describeBadResponse(error.status ?? 0, url, error.message), ENDPOINT_FIX);
  }
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  if (status === undefined) {
    return fail('SES', describeRequestError(error, url, context.timeoutMs), ENDPOINT_FIX);
  }
  // The SDK keeps a body it could not parse (JSON, say, where SES sends XML) in this hidden
  // field, and its own message then only describes the parse failure.
  const unparsed = (error as { $responseBodyText?: unknown }).$responseBodyText;
  if (typeof unparsed === 'string') {
    const fix = status === 401 || status === 403 ? CREDENTIALS_FIX : ENDPOINT_FIX;

    return fail('SES', describeBadResponse(status, url, describeErrorBody(unparsed)), fix);
  }
  // A non-XML error body leaves the SDK with only the name `Unknown` and no SES error code.
  if ((error as Error).name === 'Unknown') {
    return fail('SES', describeBadResponse(status, url, 'not an SES response'), ENDPOINT_FIX);
  }

  return fail('SES', describeBadResponse(status, url, errorMessage(error)), CREDENTIALS_FIX);
}

/**
 * Describes an error body the SDK could not parse, as the code and message of an AWS JSON error
 * (`{"__type": "…#UnrecognizedClientException", "message": "…"}`), or an excerpt of anything else.
 */
function describeErrorBody(text: string): string {
  const parsed = jsonErrorSchema.safeParse(parseJson(text));
  if (!parsed.success) return `not an SES response: ${bodyExcerpt(text)}`;
  const code = (parsed.data.__type ?? parsed.data.code ?? parsed.data.Code)?.split('#').at(-1);
  const message = parsed.data.message ?? parsed.data.Message;
  if (!code && !message) return `not an SES response: ${bodyExcerpt(text)}`;

  return [code, message].filter(Boolean).join(': ');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Returns the URL the client sends to: its `endpoint`, the endpoint variables or the region's. */
async function endpointUrl(
  context: DoctorContext,
  ses: SESClient,
  region: string | undefined,
): Promise<string> {
  const configured = await ses.config.endpoint?.();
  if (configured) {
    const port = configured.port ? `:${configured.port}` : '';

    return `${configured.protocol}//${configured.hostname}${port}${configured.path}`;
  }
  const fromEnv = context.env.AWS_ENDPOINT_URL_SES || context.env.AWS_ENDPOINT_URL;

  return fromEnv || `https://email.${region ?? '<region>'}.amazonaws.com`;
}

/** Validates an SES output; a 2xx response that is not SES XML leaves its fields undefined. */
function parseAnswer<T>(
  schema: z.ZodType<T>,
  output: { $metadata?: { httpStatusCode?: number } },
): T {
  const parsed = schema.safeParse(output);
  if (!parsed.success) throw new SesAnswerError(output.$metadata?.httpStatusCode);

  return parsed.data;
}

async function checkSender(context: DoctorContext, ses: SESClient): Promise<CheckResult> {
  const sender = context.config.email.sender;
  const statuses = await verificationStatuses(ses, [sender, domainOf(sender)]);
  const subject = `Sender ${sender}`;
  if (isVerified(statuses, sender)) return pass(subject, 'verified');

  const pending = [sender, domainOf(sender)].find(
    (identity) => statuses.get(identity) === 'Pending',
  );
  if (pending) {
    return fail(
      subject,
      `verification of ${pending} is pending`,
      pending === sender
        ? 'open the verification link SES mailed to the sender address'
        : 'publish the DKIM CNAME records SES lists for the domain and wait for them to verify',
    );
  }

  return fail(
    subject,
    'neither the address nor its domain is a verified identity',
    `${VERIFY_FIX}, or deploy the stack, which creates the address identity`,
  );
}

async function checkRecipients(context: DoctorContext, ses: SESClient): Promise<CheckResult[]> {
  const recipients = [
    ...new Set([
      ...context.config.reports.flatMap((report) => report.recipients),
      ...context.config.email.opsRecipients,
    ]),
  ];
  const identities = [...new Set(recipients.flatMap((address) => [address, domainOf(address)]))];
  const statuses = await verificationStatuses(ses, identities);
  const unverified = recipients.filter((address) => !isVerified(statuses, address));
  if (unverified.length === 0) return [pass('Recipients', `all ${recipients.length} verified`)];

  return unverified.map((address) =>
    fail(
      `Recipient ${address}`,
      'not verified, so SES rejects mail to it while the account is in the sandbox',
      `${VERIFY_FIX}, or leave the sandbox`,
    ),
  );
}

/** Returns each identity's VerificationStatus; identities SES does not know are absent. */
async function verificationStatuses(
  ses: SESClient,
  identities: string[],
): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  for (let start = 0; start < identities.length; start += IDENTITIES_PER_CALL) {
    const output = await ses.send(
      new GetIdentityVerificationAttributesCommand({
        Identities: identities.slice(start, start + IDENTITIES_PER_CALL),
      }),
    );
    const { VerificationAttributes } = parseAnswer(verificationSchema, output);
    for (const [identity, attributes] of Object.entries(VerificationAttributes)) {
      if (attributes.VerificationStatus) statuses.set(identity, attributes.VerificationStatus);
    }
  }

  return statuses;
}

/** Tells whether the address itself or its whole domain is a verified identity. */
function isVerified(statuses: Map<string, string>, address: string): boolean {
  return statuses.get(address) === 'Success' || statuses.get(domainOf(address)) === 'Success';
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
