/** Token counts of one response; `inputTokens` includes cache writes and reads. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/**
 * A step of writing the analysis, for the run record. No event contains the API key or request
 * headers. `rawText` is the model's text output as received, cut to `MAX_RAW_TEXT`.
 */
export type AnalysisEvent =
  | { type: 'request'; attempt: number; model: string; promptChars: number; timeoutMs: number }
  | {
      type: 'response';
      attempt: number;
      requestId: string | null;
      stopReason: string | null;
      latencyMs: number;
      usage: TokenUsage;
      rawText: string;
    }
  | { type: 'parse'; attempt: number; ok: boolean; error: string | null }
  | {
      type: 'verification';
      attempt: number;
      claims: number;
      kept: number;
      dropped: number;
      droppedClaims: string[];
      headlineVerified: boolean;
    }
  | {
      type: 'error';
      attempt: number;
      errorType: string;
      status: number | null;
      requestId: string | null;
      message: string;
      latencyMs: number;
    }
  | {
      type: 'result';
      source: 'claude' | 'offline';
      fallbackReason: string | null;
      durationMs: number;
    };

/** Maximum characters of raw model output stored in an event. */
export const MAX_RAW_TEXT = 20_000;
