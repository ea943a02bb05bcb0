import { Aws, Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IAlarmAction,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** The namespace of the handler's Embedded Metric Format lines and of the access-log metric. */
export const METRIC_NAMESPACE = 'StackStateMirror';

const PERIOD = Duration.minutes(5);

export interface MirrorMonitoringProps {
  readonly tenant: string;
  readonly function: IFunction;
  /** The API's access log group; its JSON lines carry `status`, `errorType` and `tenant`. */
  readonly accessLogGroup: ILogGroup;
  /** The REST API and stage, the dimensions (`ApiName`, `Stage`) of its `AWS/ApiGateway` metrics. */
  readonly api: { readonly name: string; readonly stage: string };
  /** Failed requests above this share (percent) for 3 periods of 5 minutes raise the error-rate alarm. */
  readonly errorRateAlarmPercent: number;
  /** An existing SNS topic that hears every alarm and its recovery. */
  readonly alarmTopicArn?: string;
  /** Whether to add a dashboard (the first three of an account are free, then about $3 a month each). */
  readonly dashboard: boolean;
}

/**
 * Alarms (error rate, throttling, function failures) and a small dashboard for one tenant.
 *
 * The error rate is metric math over the handler's EMF metrics `Errors` / `Requests`
 * (namespace `StackStateMirror`, dimension `Tenant`). REST APIs count all 4xx together
 * (`4XXError`), so a metric filter counts `status = 429` lines of the access log (`Http429`);
 * together with the function's `Throttles` they feed the throttling alarms. Another counts the
 * callers the resource policy refused (`EdgeDenied`): strangers that never reached the function.
 */
export class MirrorMonitoring extends Construct {
  readonly errorRateAlarm: Alarm;
  readonly apiThrottleAlarm: Alarm;
  readonly functionThrottleAlarm: Alarm;
  readonly functionErrorAlarm: Alarm;
  readonly dashboard: Dashboard | undefined;

  constructor(scope: Construct, id: string, props: MirrorMonitoringProps) {
    super(scope, id);
    const { tenant } = props;
    const tenantMetric = (metricName: string, statistic = 'Sum'): Metric =>
      new Metric({ namespace: METRIC_NAMESPACE, metricName, dimensionsMap: { Tenant: tenant }, statistic, period: PERIOD });

    const requests = tenantMetric('Requests');
    const errors = tenantMetric('Errors');
    const errorRate = new MathExpression({
      expression: 'IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)',
      usingMetrics: { requests, errors },
      label: 'Error rate (%)',
      period: PERIOD,
    });
    this.errorRateAlarm = new Alarm(this, 'ErrorRateAlarm', {
      alarmDescription: `StackState mirror ${tenant}: more than ${props.errorRateAlarmPercent}% of requests failed for 15 minutes (see the function's log: outcome, errorType, failure).`,
      metric: errorRate,
      threshold: props.errorRateAlarmPercent,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    props.accessLogGroup.addMetricFilter('Http429Filter', {
      filterPattern: FilterPattern.stringValue('$.status', '=', '429'),
      metricNamespace: METRIC_NAMESPACE,
      metricName: 'Http429',
      metricValue: '1',
      dimensions: { Tenant: '$.tenant' },
    });
    const http429 = tenantMetric('Http429');
    props.accessLogGroup.addMetricFilter('EdgeDeniedFilter', {
      filterPattern: FilterPattern.stringValue('$.errorType', '=', 'ACCESS_DENIED'),
      metricNamespace: METRIC_NAMESPACE,
      metricName: 'EdgeDenied',
      metricValue: '1',
      dimensions: { Tenant: '$.tenant' },
    });
    const apiMetric = (metricName: string, label: string): Metric =>
      new Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiName: props.api.name, Stage: props.api.stage },
        statistic: 'Sum',
        period: PERIOD,
        label,
      });
    this.apiThrottleAlarm = new Alarm(this, 'ApiThrottleAlarm', {
      alarmDescription: `StackState mirror ${tenant}: 5 or more answers were 429 in 5 minutes (API Gateway throttling, or the metric store throttling the mirror). Raise the tenant's throttling or check the store's quotas.`,
      metric: http429,
      threshold: 5,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    const throttles = props.function.metricThrottles({ period: PERIOD, statistic: 'Sum' });
    this.functionThrottleAlarm = new Alarm(this, 'FunctionThrottleAlarm', {
      alarmDescription: `StackState mirror ${tenant}: Lambda throttled the function (account or reserved concurrency exhausted).`,
      metric: throttles,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    const functionErrors = props.function.metricErrors({ period: PERIOD, statistic: 'Sum' });
    this.functionErrorAlarm = new Alarm(this, 'FunctionErrorAlarm', {
      alarmDescription: `StackState mirror ${tenant}: the function crashed or timed out (these never reach the request log).`,
      metric: functionErrors,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    if (props.alarmTopicArn !== undefined) {
      const action: IAlarmAction = new SnsAction(Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn));
      for (const alarm of [this.errorRateAlarm, this.apiThrottleAlarm, this.functionThrottleAlarm, this.functionErrorAlarm]) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }

    this.dashboard = props.dashboard
      ? new Dashboard(this, 'Dashboard', {
          dashboardName: `StackStateMirror-${tenant}-${Aws.REGION}`,
          widgets: [
            [
              new GraphWidget({ title: 'Requests and errors', left: [requests, errors], width: 8 }),
              new GraphWidget({ title: 'Error rate (%)', left: [errorRate], width: 8 }),
              new GraphWidget({
                title: 'Latency (ms)',
                left: ['p50', 'p90', 'p99'].map((s) => tenantMetric('LatencyMs', s).with({ label: `LatencyMs ${s}` })),
                width: 8,
              }),
            ],
            [
              new GraphWidget({ title: 'Upstream calls', left: [tenantMetric('UpstreamCalls')], width: 6 }),
              new GraphWidget({
                title: 'Credential cache',
                left: [tenantMetric('CredentialCacheHits'), tenantMetric('CredentialCacheMisses')],
                width: 6,
              }),
              new GraphWidget({
                title: 'Samples processed (AMP bills these) and closed-bucket cache',
                left: [tenantMetric('SamplesProcessed')],
                right: [tenantMetric('CacheHits'), tenantMetric('CacheMisses')],
                width: 6,
              }),
              new GraphWidget({
                title: 'Throttling and failures',
                left: [http429.with({ label: 'HTTP 429' }), throttles, functionErrors],
                width: 6,
              }),
            ],
            [
              new GraphWidget({
                title: 'API Gateway: requests, refusals at the edge, errors',
                left: [
                  apiMetric('Count', 'Requests'),
                  tenantMetric('EdgeDenied').with({ label: 'Refused by the resource policy' }),
                  apiMetric('4XXError', '4xx'),
                  apiMetric('5XXError', '5xx'),
                ],
                width: 24,
              }),
            ],
          ],
        })
      : undefined;
  }
}
