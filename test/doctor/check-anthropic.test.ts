import { afterEach, describe, expect, it } from 'vitest';
import { checkAnthropic } from '../../src/doctor/check-anthropic.ts';
import { testConfig, testContext } from './doctor-test-context.ts';
import { type AnthropicFakeOptions, startAnthropicFake } from './fakes/anthropic-fake.ts';
import {
  closedPortOrigin,
  type LoopbackServer,
  startHtmlServer,
  startSilentServer,
} from './fakes/loopback-server.ts';

const KEY = 'sk-ant-test-key';
const MODEL = 'claude-sonnet-5-5';

let anthropic: LoopbackServer | null = null;

afterEach(async () => {
  await anthropic?.close();
  anthropic = null;
});

async function checkWith(options: Partial<AnthropicFakeOptions>, key = KEY) {
  anthropic = await startAnthropicFake({
    apiKey: KEY,
    models: { [MODEL]: { lifecycle: 'active' } },
    ...options,
  });
  const section = await checkAnthropic(
    testContext({
      config: testConfig({ anthropic: { baseUrl: anthropic.origin, model: MODEL } }),
      secrets: { ANTHROPIC_API_KEY: key },
    }),
  );

  return section.results;
}

describe('checkAnthropic', () => {
  it('warns when the key is missing', async () => {
    const section = await checkAnthropic(testContext());

    expect(section.results[0]?.status).toBe('warn');
    expect(section.results[0]?.detail).toContain('offline narrative');
  });

  it('passes the key and an active model', async () => {
    const results = await checkWith({});

    expect(results.map((result) => result.status)).toEqual(['pass', 'pass']);
    expect(anthropic?.requests[0]?.url.pathname).toBe(`/v1/models/${MODEL}`);
  });

  it('fails a rejected key', async () => {
    const results = await checkWith({}, 'sk-ant-wrong');

    expect(results[0]?.status).toBe('fail');
    expect(results[0]?.detail).toContain('HTTP 401');
    expect(results[0]?.fix).toContain('ANTHROPIC_API_KEY');
  });

  it('fails an unknown model', async () => {
    const results = await checkWith({ models: {} });

    expect(results[1]?.subject).toBe(`Model ${MODEL}`);
    expect(results[1]?.status).toBe('fail');
    expect(results[1]?.fix).toContain('anthropic.model');
  });

  it('warns about a deprecated model', async () => {
    const results = await checkWith({
      models: { [MODEL]: { lifecycle: 'deprecated', retiresAt: '2027-03-01T00:00:00Z' } },
    });

    expect(results[1]?.status).toBe('warn');
    expect(results[1]?.detail).toContain('2027-03-01');
  });

  it('fails a retired model', async () => {
    const results = await checkWith({ models: { [MODEL]: { lifecycle: 'retired' } } });

    expect(results[1]?.status).toBe('fail');
  });

  it('asks to retry on HTTP 429', async () => {
    const results = await checkWith({ failWith: { status: 429, type: 'rate_limit_error' } });

    expect(results[0]?.fix).toContain('run doctor again');
  });

  it('fails an overloaded API without retrying', async () => {
    const results = await checkWith({ failWith: { status: 529, type: 'overloaded_error' } });

    expect(results[0]?.status).toBe('fail');
    expect(anthropic?.requests).toHaveLength(1);
  });

  describe('against a broken server', () => {
    async function checkAt(origin: string) {
      const section = await checkAnthropic(
        testContext({
          config: testConfig({ anthropic: { baseUrl: origin, model: MODEL } }),
          secrets: { ANTHROPIC_API_KEY: KEY },
          timeoutMs: 300,
        }),
      );

      return section.results;
    }

    it.each([200, 502])('fails an HTML page with status %i', async (status) => {
      anthropic = await startHtmlServer(status);

      const results = await checkAt(anthropic.origin);

      expect(results.map((result) => result.status)).toEqual(['fail']);
      expect(results[0]?.detail).toContain(
        `HTTP ${status} from ${anthropic.origin}/v1/models/${MODEL}`,
      );
      expect(results[0]?.fix).toContain('anthropic.baseUrl');
    });

    it('names the timeout and the URL', async () => {
      anthropic = await startSilentServer();

      const results = await checkAt(anthropic.origin);

      expect(results[0]?.detail).toBe(
        `request to ${anthropic.origin}/v1/models/${MODEL} timed out after 0.3 s`,
      );
    });

    it('names a refused connection', async () => {
      const origin = await closedPortOrigin();

      const results = await checkAt(origin);

      expect(results[0]?.detail).toBe(
        `request to ${origin}/v1/models/${MODEL} failed: connection refused`,
      );
    });
  });
});
