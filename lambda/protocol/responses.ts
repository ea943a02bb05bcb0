import type { FieldType } from './requests.js';

/** The Mirror API's answer shapes. */

export interface TestConnectionResponse {
  _type: 'TestConnectionResponse';
  status: 'OK' | 'FAILURE';
  error?: { _type: 'MetricStoreConnectionError'; details: string };
}

export interface FieldDescriptor {
  _type: 'FieldDescriptor';
  fieldName: string;
  fieldType: FieldType;
  classified: boolean;
}

export interface FieldNamesResponse {
  _type: 'FieldNamesResponse';
  isPartial: boolean;
  fields: FieldDescriptor[];
}

export type FieldValue = { _type: 'CompleteValue'; value: string } | { _type: 'FieldValuePattern'; value: string };

export interface FieldValuesResponse {
  _type: 'FieldValuesResponse';
  isPartial: boolean;
  values: FieldValue[];
}

/** [value, timestamp ms] */
export type RawPoint = [number, number];
/** [value, bucket start ms, bucket end ms] */
export type AggregatedPoint = [number, number, number];

export type MetricsResponse =
  | {
      _type: 'MetricsResponse';
      telemetry: { _type: 'RawMetricTelemetry'; dataFormat: ['value', 'timestamp']; isPartial: boolean; points: RawPoint[] };
    }
  | {
      _type: 'MetricsResponse';
      telemetry: {
        _type: 'AggregatedMetricTelemetry';
        dataFormat: ['value', 'startTimestamp', 'endTimestamp'];
        isPartial: boolean;
        points: AggregatedPoint[];
      };
    };
