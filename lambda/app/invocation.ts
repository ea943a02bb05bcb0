import { Deadline } from '../deadline.js';

/** What one request carries through the services: its id, its deadline, and counters for the log. */
export interface Invocation {
  requestId: string;
  /** By when the answer must be on its way (Lambda's remaining time less a margin); the one owner of the request's time. */
  deadline: Deadline;
  stats: InvocationStats;
}

export interface InvocationStats {
  upstreamCalls: number;
  upstreamMs: number;
  /** What the store reported processing (stats=all: AMP's billing unit), summed over the request's queries. */
  samplesProcessed: number;
  /** Reads the closed-bucket cache helped, and reads it could not. */
  cacheHits: number;
  cacheMisses: number;
}

/** Time kept back from the Lambda deadline to write the answer and the log line. */
export const ANSWER_MARGIN_MS = 1_500;

export function newInvocation(requestId: string, remainingMs: number | undefined, clock: () => number = Date.now): Invocation {
  const budget = remainingMs === undefined ? 60_000 : Math.max(1_000, remainingMs - ANSWER_MARGIN_MS);
  return {
    requestId,
    deadline: Deadline.after(budget, clock),
    stats: { upstreamCalls: 0, upstreamMs: 0, samplesProcessed: 0, cacheHits: 0, cacheMisses: 0 },
  };
}
