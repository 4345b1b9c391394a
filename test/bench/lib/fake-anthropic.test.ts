import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeAnthropic,
  promptChars,
  startFakeAnthropic,
} from '../../../bench/lib/fake-anthropic.ts';
import { analysisOutputSchema } from '../../../src/analysis/analysis-prompt.ts';

describe('startFakeAnthropic', () => {
  let fake: FakeAnthropic;
  let client: Anthropic;

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    client = new Anthropic({ apiKey: fake.apiKey, baseURL: fake.url, maxRetries: 0 });
  });

  afterAll(async () => {
    await fake.close();
  });

  const request = {
    model: 'claude-sonnet-5-5',
    max_tokens: 2048,
    system: [{ type: 'text' as const, text: 'You write reports.' }],
    messages: [{ role: 'user' as const, content: 'Facts: none' }],
  };

  it('answers with text that passes the analysis schema', async () => {
    const message = await client.messages.create(request);

    const block = message.content[0];
    const text = block?.type === 'text' ? block.text : '';

    expect(message.stop_reason).toBe('end_turn');
    expect(analysisOutputSchema.safeParse(JSON.parse(text)).success).toBe(true);
  });

  it('keeps the request body', async () => {
    const before = fake.requests.length;

    await client.messages.create(request);

    expect(fake.requests[before]).toMatchObject({ model: 'claude-sonnet-5-5' });
  });

  it('rejects a wrong API key', async () => {
    const other = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: fake.url, maxRetries: 0 });

    const call = other.messages.create(request);

    await expect(call).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });
});

describe('promptChars', () => {
  it('adds system blocks and message text', () => {
    const chars = promptChars({
      system: [{ type: 'text', text: 'abcd' }],
      messages: [
        { role: 'user', content: 'efg' },
        { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image' }] },
      ],
    });

    expect(chars).toBe(9);
  });

  it('reads a string system prompt', () => {
    expect(promptChars({ system: 'abc', messages: [] })).toBe(3);
  });
});
