import type { z } from 'zod';
import { type GraphError, parseGraphError } from '../sources/meta/graph-errors.ts';
import {
  bodyExcerpt,
  describeBadResponse,
  describeRequestError,
} from './describe-request-error.ts';
import type { DoctorContext } from './doctor-context.ts';

/** A Graph API response: the parsed body and the Graph error in it, if any. */
export interface GraphResponse {
  status: number;
  body: unknown;
  error: GraphError | null;
  headers: Headers;
  /** The request URL without its query string, which can contain a token. */
  url: string;
}

/** A Graph request that got no response, or a response that is not the Graph API's. */
export class GraphRequestError extends Error {
  override name = 'GraphRequestError';
}

/**
 * Sends one Graph API GET with `token` as a Bearer header; no retries, because doctor reports a
 * rate limit instead of waiting it out. Throws a `GraphRequestError` when the request gets no
 * response, the body is not JSON, or a non-2xx response carries no Graph error.
 */
export async function graphGet(
  context: DoctorContext,
  baseUrl: string,
  path: string,
  params: Record<string, string>,
  token: string,
): Promise<GraphResponse> {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/${context.config.meta.apiVersion}/${path}`);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const shownUrl = `${url.origin}${url.pathname}`;
  let response: Response;
  let text: string;
  try {
    response = await context.fetch(url, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(context.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    throw new GraphRequestError(describeRequestError(error, shownUrl, context.timeoutMs), {
      cause: error,
    });
  }

  return parseGraphResponse(response, text, shownUrl);
}

function parseGraphResponse(response: Response, text: string, url: string): GraphResponse {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new GraphRequestError(describeBadResponse(response.status, url, 'the body is not JSON'));
  }
  const error = parseGraphError(body);
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  if ((!response.ok && !error) || !isObject) {
    throw new GraphRequestError(describeBadResponse(response.status, url, bodyExcerpt(text)));
  }

  return { status: response.status, body, error, headers: response.headers, url };
}

/** Validates a successful Graph body against `schema`, or throws a `GraphRequestError`. */
export function parseGraphBody<T>(schema: z.ZodType<T>, response: GraphResponse): T {
  const parsed = schema.safeParse(response.body);
  if (!parsed.success) {
    throw new GraphRequestError(
      describeBadResponse(response.status, response.url, 'not a Graph API response'),
    );
  }

  return parsed.data;
}

/** Formats a Graph error as `Graph error 100/33: message`. */
export function describeGraphError(error: GraphError): string {
  const subcode = error.subcode === null ? '' : `/${error.subcode}`;

  return `Graph error ${error.code}${subcode}: ${error.message}`;
}
