import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { runReport } from '../pipeline/run-report.ts';
import type { PipelineDeps } from '../pipeline/types.ts';
import { logger } from '../shared/logger.ts';
import { createSlackClient } from '../slack/create-slack-client.ts';
import { StateStore } from '../storage/state-store.ts';
import { createBotApp } from './app.ts';
import { inProcessDispatch } from './dispatch.ts';
import { toFunctionUrlEvent } from './function-url-event.ts';
import { type BotDeps, runBotJob } from './jobs.ts';

export interface LocalBotOptions {
  pipeline: PipelineDeps;
  signingSecret: string;
  botToken: string;
  slackApiUrl: string;
  /** Claude client for `ask`; with null, `ask` replies that Claude is not configured. */
  anthropic: Anthropic | null;
  /** Replaces the pipeline run (tests); the real `runReport` by default. */
  runReport?: BotDeps['runReport'];
  now?: () => Date;
}

export interface LocalBot {
  handler: (event: unknown, context: unknown) => Promise<unknown>;
  /** Resolves when every job dispatched so far has finished. */
  drain(): Promise<void>;
}

/**
 * Builds the bot with the worker in the same process: the same Bolt app and listeners as on
 * Lambda, with `inProcessDispatch` in place of the asynchronous Lambda invoke.
 */
export function createLocalBot(options: LocalBotOptions): LocalBot {
  const slack = createSlackClient(options.botToken, { apiUrl: options.slackApiUrl });
  const deps: BotDeps = {
    pipeline: options.pipeline,
    slack,
    anthropic: options.anthropic,
    runReport: options.runReport ?? runReport,
  };
  const dispatch = inProcessDispatch((job) => runBotJob(job, deps));
  const { handler } = createBotApp({
    signingSecret: options.signingSecret,
    botToken: options.botToken,
    config: options.pipeline.config,
    dispatch,
    state: new StateStore(options.pipeline.dynamo, options.pipeline.stateTable, {
      now: options.pipeline.now,
    }),
    slackApiUrl: options.slackApiUrl,
    botUserId: 'U0LOCALBOT',
    botId: 'B0LOCALBOT',
    ...(options.now ? { now: options.now } : {}),
  });

  return { handler, drain: () => dispatch.drain() };
}

/** Creates the Claude client from a key and the config's base URL, or null without a key. */
export function localAnthropic(
  apiKey: string | undefined,
  baseUrl: string | undefined,
  timeoutMs: number,
): Anthropic | null {
  return apiKey
    ? new Anthropic({ apiKey, baseURL: baseUrl ?? null, timeout: timeoutMs, maxRetries: 2 })
    : null;
}

/** The path Slack sends commands and events to; other paths get 404. */
export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * Serves the bot handler over HTTP on 127.0.0.1 (for a tunnel to Slack): each POST to
 * `/slack/events` becomes a function-URL event, exactly as Lambda would deliver it. Other paths
 * get 404 and other methods 405, because Bolt would log them as unparsable bodies. Port 0 picks a
 * free port. Rejects with the `listen` error, e.g. code `EADDRINUSE` for a busy port.
 */
export async function serveBot(
  bot: LocalBot,
  port: number,
): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (path !== SLACK_EVENTS_PATH) {
      sendText(
        response,
        404,
        `Not found: adreport serves Slack requests at POST ${SLACK_EVENTS_PATH}\n`,
      );
      return;
    }
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      sendText(response, 405, `Method ${request.method} not allowed: Slack sends POST requests\n`);
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const event = toFunctionUrlEvent({
        method: request.method ?? 'POST',
        path: url.pathname,
        query: url.search.slice(1),
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      bot
        .handler(event, {})
        .then((result) => {
          const reply = result as {
            statusCode: number;
            headers?: Record<string, string>;
            body?: string;
          };
          response.writeHead(reply.statusCode, reply.headers ?? {});
          response.end(reply.body ?? '');
        })
        .catch((error: unknown) => {
          logger.error('Local bot request failed', { error });
          response.writeHead(500);
          response.end();
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });

  const { port: boundPort } = server.address() as AddressInfo;

  return { url: `http://127.0.0.1:${boundPort}${SLACK_EVENTS_PATH}`, server };
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}
