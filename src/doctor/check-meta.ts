import { z } from 'zod';
import { checkAdAccounts } from './check-ad-accounts.ts';
import {
  type CheckResult,
  type CheckSection,
  errorMessage,
  fail,
  pass,
  warn,
} from './check-result.ts';
import { type DoctorContext, resolveBaseUrls } from './doctor-context.ts';
import {
  describeGraphError,
  GraphRequestError,
  type GraphResponse,
  graphGet,
  parseGraphBody,
} from './graph-get.ts';

/** A token that expires within this many days fails the check. */
export const TOKEN_EXPIRY_WARNING_DAYS = 14;

const TOKEN_FIX =
  'create a system user token with ads_read in Business Settings > System users (choose "never ' +
  'expires") and store it as META_ACCESS_TOKEN';

const DAY_MS = 86_400_000;

interface MetaCall {
  context: DoctorContext;
  baseUrl: string;
  token: string;
}

/**
 * Checks the Meta access token (validity, expiry, `ads_read`) and then every configured ad
 * account. The expiry comes from `debug_token`, which needs the app's credentials
 * (`META_APP_ID`, `META_APP_SECRET`). Without them the token is checked with `GET /me`, and its
 * expiry is reported as unknown.
 */
export async function checkMeta(context: DoctorContext): Promise<CheckSection> {
  const token = context.secrets.META_ACCESS_TOKEN;
  if (!token) {
    return {
      title: 'Meta',
      results: [fail('Access token', 'META_ACCESS_TOKEN is not set', TOKEN_FIX)],
    };
  }
  const call = { context, baseUrl: resolveBaseUrls(context.config, context.env).meta, token };

  let results: CheckResult[];
  try {
    results = await checkToken(call);
  } catch (error) {
    return { title: 'Meta', results: [unreachable(call, error)] };
  }
  const tokenWorks = results.every(
    (result) => result.subject !== 'Access token' || result.status === 'pass',
  );
  if (tokenWorks) results.push(...(await checkAdAccounts(call)));

  return { title: 'Meta', results };
}

async function checkToken(call: MetaCall): Promise<CheckResult[]> {
  const appId = call.context.env.META_APP_ID?.trim();
  const appSecret = call.context.env.META_APP_SECRET?.trim();
  if (!appId || !appSecret) return checkTokenWithMe(call);

  const response = await graphGet(
    call.context,
    call.baseUrl,
    'debug_token',
    { input_token: call.token },
    `${appId}|${appSecret}`,
  );
  if (response.error) {
    return [
      warn(
        'App credentials',
        `debug_token failed (${describeGraphError(response.error)})`,
        'check META_APP_ID and META_APP_SECRET (App Dashboard > App settings > Basic)',
      ),
      ...(await checkTokenWithMe(call)),
    ];
  }

  return describeDebugToken(call, response);
}

const debugTokenSchema = z.object({
  data: z.object({
    is_valid: z.boolean(),
    type: z.string().optional(),
    application: z.string().optional(),
    expires_at: z.number().optional(),
    scopes: z.array(z.string()).optional(),
    error: z.object({ message: z.string().optional() }).optional(),
  }),
});
const meSchema = z.object({ id: z.string(), name: z.string().optional() });
const permissionsSchema = z.object({
  data: z.array(z.object({ permission: z.string(), status: z.string() })),
});

function describeDebugToken(call: MetaCall, response: GraphResponse): CheckResult[] {
  const { data } = parseGraphBody(debugTokenSchema, response);
  if (data.is_valid !== true) {
    const reason = data.error?.message ?? 'debug_token reports it as invalid';

    return [fail('Access token', `invalid: ${reason}`, TOKEN_FIX)];
  }
  const type = data.type ? `${data.type} ` : '';
  const app = data.application ? ` of app "${data.application}"` : '';

  return [
    pass('Access token', `valid ${type}token${app}`),
    expiryResult(data.expires_at ?? 0, call.context.now()),
    data.scopes?.includes('ads_read')
      ? pass('ads_read permission', 'granted')
      : fail(
          'ads_read permission',
          `not granted (token scopes: ${data.scopes?.join(', ') || 'none'})`,
          TOKEN_FIX,
        ),
  ];
}

/** `expires_at` is in Unix seconds; 0 means the token never expires. */
function expiryResult(expiresAt: number, now: Date): CheckResult {
  if (expiresAt === 0) return pass('Token expiry', 'never expires');

  const expiry = new Date(expiresAt * 1000);
  const days = Math.floor((expiry.getTime() - now.getTime()) / DAY_MS);
  const detail = `${days < 0 ? 'expired' : 'expires'} on ${expiry.toISOString().slice(0, 10)} (${days} days)`;
  if (days < TOKEN_EXPIRY_WARNING_DAYS) return fail('Token expiry', detail, TOKEN_FIX);

  return pass('Token expiry', detail);
}

async function checkTokenWithMe(call: MetaCall): Promise<CheckResult[]> {
  const me = await graphGet(call.context, call.baseUrl, 'me', { fields: 'id,name' }, call.token);
  if (me.error) return [fail('Access token', describeGraphError(me.error), TOKEN_FIX)];

  const owner = parseGraphBody(meSchema, me);

  return [
    pass('Access token', `valid (${owner.name ?? 'unnamed'}, id ${owner.id})`),
    warn(
      'Token expiry',
      'unknown, because debug_token needs the app credentials',
      'set META_APP_ID and META_APP_SECRET when running doctor to check the expiry',
    ),
    await checkPermissionWithMe(call),
  ];
}

async function checkPermissionWithMe(call: MetaCall): Promise<CheckResult> {
  const response = await graphGet(call.context, call.baseUrl, 'me/permissions', {}, call.token);
  if (response.error) {
    return warn('ads_read permission', `could not be read (${describeGraphError(response.error)})`);
  }
  const permissions = parseGraphBody(permissionsSchema, response).data;
  const adsRead = permissions.find((entry) => entry.permission === 'ads_read');

  return adsRead?.status === 'granted'
    ? pass('ads_read permission', 'granted')
    : fail('ads_read permission', `not granted (${adsRead?.status ?? 'not requested'})`, TOKEN_FIX);
}

function unreachable(call: MetaCall, error: unknown): CheckResult {
  const detail =
    error instanceof GraphRequestError
      ? error.message
      : `request to ${call.baseUrl} failed: ${errorMessage(error)}`;

  return fail(
    'Graph API',
    detail,
    'check the network and meta.baseUrl (or ADREPORT_META_BASE_URL)',
  );
}
