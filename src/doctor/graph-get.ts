import { type GraphError, parseGraphError } from '../sources/meta/graph-errors.ts';
import type { DoctorContext } from './doctor-context.ts';

/** A Graph API response: the parsed body and the Graph error in it, if any. */
export interface GraphResponse {
  status: number;
  body: unknown;
  error: GraphError | null;
  headers: Headers;
}

/**
 * Sends one Graph API GET with `token` as a Bearer header; no retries, because doctor reports a
 * rate limit instead of waiting it out. Throws only when the request cannot be made or the body
 * is not JSON.
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
  const response = await context.fetch(url, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(context.timeoutMs),
  });
  const body: unknown = await response.json();

  return { status: response.status, body, error: parseGraphError(body), headers: response.headers };
}

/** Formats a Graph error as `Graph error 100/33: message`. */
export function describeGraphError(error: GraphError): string {
  const subcode = error.subcode === null ? '' : `/${error.subcode}`;

  return `Graph error ${error.code}${subcode}: ${error.message}`;
}
