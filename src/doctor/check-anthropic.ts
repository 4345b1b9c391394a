import Anthropic from '@anthropic-ai/sdk';
import type { ModelInfo } from '@anthropic-ai/sdk/resources/models';
import {
  type CheckResult,
  type CheckSection,
  errorMessage,
  fail,
  pass,
  warn,
} from './check-result.ts';
import { type DoctorContext, resolveBaseUrls } from './doctor-context.ts';

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
  try {
    const info = await client.models.retrieve(model);

    return {
      title: 'Anthropic',
      results: [pass('API key', 'accepted'), describeModel(model, info)],
    };
  } catch (error) {
    return { title: 'Anthropic', results: describeFailure(model, error) };
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

function describeFailure(model: string, error: unknown): CheckResult[] {
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

  return [
    fail(
      'Anthropic API',
      `request failed: ${errorMessage(error)}`,
      'check the network and anthropic.baseUrl (or ANTHROPIC_BASE_URL)',
    ),
  ];
}
