import { applyNanInterpretation } from '../../domain/time/non-finite.js';
import type { AggregatedPoint, MetricsResponse, RawPoint } from '../../protocol/responses.js';

/** Applies nan_interpretation, then `limit` (keeping the oldest points: StackState re-asks from the last one). */
export function rawAnswer(points: RawPoint[], nan: 'ZERO' | 'NONE', limit: number | undefined, truncated = false): MetricsResponse {
  const kept = applyNanInterpretation(points, nan);
  const cut = limit !== undefined && kept.length > limit;
  return {
    _type: 'MetricsResponse',
    telemetry: {
      _type: 'RawMetricTelemetry',
      dataFormat: ['value', 'timestamp'],
      isPartial: cut || truncated,
      points: cut ? kept.slice(0, limit) : kept,
    },
  };
}

export function aggregatedAnswer(
  points: AggregatedPoint[],
  nan: 'ZERO' | 'NONE',
  limit: number | undefined,
  truncated = false,
): MetricsResponse {
  const kept = applyNanInterpretation(points, nan);
  const cut = limit !== undefined && kept.length > limit;
  return {
    _type: 'MetricsResponse',
    telemetry: {
      _type: 'AggregatedMetricTelemetry',
      dataFormat: ['value', 'startTimestamp', 'endTimestamp'],
      isPartial: cut || truncated,
      points: cut ? kept.slice(0, limit) : kept,
    },
  };
}
