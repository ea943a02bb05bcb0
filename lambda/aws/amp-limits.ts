/**
 * What Amazon Managed Service for Prometheus (AMP) allows one query, as documented constants
 * for chunking and for shaping queries. Sources:
 *
 * - [Q] AMP User Guide, "Amazon Managed Service for Prometheus service quotas"
 *   (docs.aws.amazon.com/prometheus/latest/userguide/AMP_quotas.html).
 * - [A] AMP User Guide, API reference "QueryMetrics"
 *   (docs.aws.amazon.com/prometheus/latest/userguide/AMP-APIReference-QueryMetrics.html).
 * - [C] Cortex, which AMP's query path is built on: the error texts of its query limits
 *   (cortexproject/cortex, pkg/util/limiter and the query frontend's transport handler).
 * - [G] API Gateway quotas: the integration timeout of REST and HTTP APIs is 29 s by default
 *   (HTTP API maximum 30 s).
 *
 * Numbers marked "as last published" are AMP's published defaults; AWS changes quotas from
 * time to time, so chunk well below them rather than up to them.
 */
import { FUNCTION_TIMEOUT_SECONDS } from '../contract/index.js';

// [Q] "Query samples", as last published: 50,000,000 samples loaded by a single query. Not a
// constant here: the mirror bounds a query's cost by MIRROR_MAX_SAMPLES_PROCESSED instead.

/** [Q] "Query time range", as last published: 32 days between start and end of one query (768 h). */
export const AMP_MAX_QUERY_RANGE_MS = 32 * 24 * 3600 * 1000;

/**
 * [A] AMP's `timeout` query parameter "defaults to and is capped by" the service's query timeout
 * (Cortex's `-querier.timeout` / `-query.timeout`, 2 minutes by default [C]). The mirror answers
 * through API Gateway, which gives up after 29 s [G]; a query that AMP keeps evaluating after
 * that is billed and wasted. So the mirror never asks AMP for more than this, and less when
 * the invocation has less time left.
 */
export const AMP_QUERY_TIMEOUT_CAP_MS = FUNCTION_TIMEOUT_SECONDS * 1000;

/**
 * [A] Optional parameters of QueryMetrics: a query whose Query Samples Processed (QSP, what AMP
 * bills) would pass the error threshold is refused and not charged. The mirror sends the error
 * threshold with every query (MIRROR_MAX_SAMPLES_PROCESSED, lowered by the Connection Details).
 */
export const AMP_QSP_ERROR_THRESHOLD_PARAM = 'max_samples_processed_error_threshold';
