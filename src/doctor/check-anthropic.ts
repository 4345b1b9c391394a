import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { type CheckResult, type CheckSection, fail, pass, warn } from './check-result.ts';
import {
  describeBadResponse,
  describeRequestFailure,
  type RequestFailure,
  type RequestTarget,
} from './describe-request-error.ts';
import { type DoctorContext, resolveBaseUrls } from './doctor-context.ts';

const BASE_URL_FIX = 'check the network and anthropic.baseUrl (or ANTHROPIC_BASE_URL)';

/** The fields of a `GET /v1/models/{model}` response the check reads. */
const modelSchema = z.object({
  type: z.literal('model'),
  id: z.string(),
  display_name: z.string(),
  lifecycle: z.string().optional(),
  retires_at: z.string().nullish(),
});

type ModelInfo = z.infer<typeof modelSchema>;

/** The model request, with the URL and time limit that failure details name. */
interface ModelRequest extends RequestTarget {
  model: string;
}

const KEY_FIX =
  'create an API key in the Claude Console (Settings > API keys) and store it as ANTHROPIC_API_KEY';

/**
 * Reads the configured model with `GET /v1/models/{model}`, which proves the key and the model
 * name without spending tokens. A missing key is only a warning, because reports then use the
 * offline narrative.
 */
export async function checkAnthropic(context: DoctorContext): Promise<CheckSection> {
  const apiKey = context.secrets.ANTHROPIC_API_KEY;
  const model = context.config.anthropic.model;
  if (!apiKey) {
    return {
      title: 'Anthropic',
      results: [
        warn(
          'API key',
          'ANTHROPIC_API_KEY is not set, so reports use the offline narrative',
          KEY_FIX,
        ),
      ],
    };
  }
  const client = new Anthropic({
    apiKey,
    baseURL: resolveBaseUrls(context.config, context.env).anthropic,
    maxRetries: 0,
    timeout: context.timeoutMs,
    fetch: context.fetch,
  });
  const request = {
    model,
    url: `${client.baseURL.replace(/\/+$/, '')}/v1/models/${model}`,
    timeoutMs: context.timeoutMs,
  };
  try {
    const { data, response } = await client.models.retrieve(model).withResponse();
    const info = modelSchema.safeParse(data);
    if (!info.success) {
      const isJson = response.headers.get('content-type')?.includes('json') === true;
      const problem = isJson ? 'not a model object' : 'the body is not JSON';
      const detail = describeBadResponse(response.status, request.url, problem);

      return { title: 'Anthropic', results: [fail('Anthropic API', detail, BASE_URL_FIX)] };
    }

    return {
      title: 'Anthropic',
      results: [pass('API key', 'accepted'), describeModel(model, info.data)],
    };
  } catch (error) {
    return { title: 'Anthropic', results: describeFailure(request, error) };
  }
}

function describeModel(model: string, info: ModelInfo): CheckResult {
  const subject = `Model ${model}`;
  if (info.lifecycle === 'retired') {
    return fail(
      subject,
      'retired: requests naming it fail',
      'set anthropic.model to a current model',
    );
  }
  if (info.lifecycle === 'deprecated') {
    const retires = info.retires_at ? `, retires ${info.retires_at.slice(0, 10)}` : '';

    return warn(subject, `deprecated${retires}`, 'set anthropic.model to a current model');
  }

  return pass(subject, `available (${info.display_name})`);
}

function describeFailure(request: ModelRequest, error: unknown): CheckResult[] {
  const { model } = request;
  if (error instanceof Anthropic.AuthenticationError) {
    return [fail('API key', `rejected (HTTP 401): ${error.message}`, KEY_FIX)];
  }
  if (error instanceof Anthropic.PermissionDeniedError) {
    return [
      fail(
        'API key',
        `not allowed (HTTP 403): ${error.message}`,
        "check the key's workspace and organization permissions in the Claude Console",
      ),
    ];
  }
  if (error instanceof Anthropic.NotFoundError) {
    return [
      pass('API key', 'accepted'),
      fail(
        `Model ${model}`,
        'not found for this key',
        'set anthropic.model to a model id listed in the Claude Console, e.g. claude-sonnet-5-5',
      ),
    ];
  }
  if (error instanceof Anthropic.RateLimitError) {
    return [
      fail('API key', `rate limited (HTTP 429): ${error.message}`, 'run doctor again in a minute'),
    ];
  }

  const detail = describeRequestFailure(request, classifyRequestFailure(error));

  return [fail('Anthropic API', detail, BASE_URL_FIX)];
}

function classifyRequestFailure(error: unknown): RequestFailure {
  if (error instanceof Anthropic.APIConnectionError) return { kind: 'no_response', error };
  if (error instanceof Anthropic.APIError && error.status !== undefined) {
    const body = typeof error.error === 'string' ? error.error : JSON.stringify(error.error);

    return { kind: 'bad_response', status: error.status, body: body ?? '' };
  }

  return { kind: 'other', error };
}
