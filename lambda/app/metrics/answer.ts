import { applyNanInterpretation } from '../../domain/time/non-finite.js';
import type { AggregatedPoint, MetricsResponse, RawPoint } from '../../protocol/responses.js';

/**
 * Applies nan_interpretation, then `limit`, keeping the oldest points (StackState re-asks
 * from the last one). `isPartial` is true exactly when points were left out here or before.
 */
function finish<P extends number[]>(points: P[], nan: 'ZERO' | 'NONE', limit: number | undefined, truncated: boolean) {
  const kept = applyNanInterpretation(points, nan);
  const cut = limit !== undefined && kept.length > limit;
  return { isPartial: cut || truncated, points: cut ? kept.slice(0, limit) : kept };
}

export function rawAnswer(points: RawPoint[], nan: 'ZERO' | 'NONE', limit: number | undefined, truncated = false): MetricsResponse {
  return {
    _type: 'MetricsResponse',
    telemetry: { _type: 'RawMetricTelemetry', dataFormat: ['value', 'timestamp'], ...finish(points, nan, limit, truncated) },
  };
}

export function aggregatedAnswer(
  points: AggregatedPoint[],
  nan: 'ZERO' | 'NONE',
  limit: number | undefined,
  truncated = false,
): MetricsResponse {
  return {
    _type: 'MetricsResponse',
    telemetry: {
      _type: 'AggregatedMetricTelemetry',
      dataFormat: ['value', 'startTimestamp', 'endTimestamp'],
      ...finish(points, nan, limit, truncated),
    },
  };
}
