import { describe, expect, it } from 'vitest';
import { upstreamHttpError } from '../../../lambda/upstream/upstream-errors.js';

const ORIGIN = 'https://aps-workspaces.eu-west-1.amazonaws.com';

function amp(status: number, body: object, errorType?: string) {
  return upstreamHttpError({ status, headers: errorType ? { 'x-amzn-errortype': errorType } : {}, body: JSON.stringify(body) }, ORIGIN);
}

describe('what the user reads when AMP refuses a request', () => {
  it('names the region when the signature is scoped to another region', () => {
    // Act
    const error = amp(403, { message: 'Credential should be scoped to a valid region. ' }, 'InvalidSignatureException');

    // Assess
    expect(error.failure).toBe('signature');
    expect(error.details).toContain("signed for a region other than the workspace's");
    expect(error.details).toContain('aws.region_name');
  });

  it('blames the secret key for a signature mismatch', () => {
    // Act
    const error = amp(403, {
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    });

    // Assess
    expect(error.failure).toBe('signature');
    expect(error.details).toContain('secret access key does not belong to the access key id');
  });

  it('says the session token expired', () => {
    // Act
    const error = amp(403, { message: 'The security token included in the request is expired' }, 'ExpiredTokenException');

    // Assess
    expect(error.failure).toBe('signature');
    expect(error.details).toContain('session token has expired');
  });

  it('says AWS does not know the key', () => {
    // Act
    const error = amp(403, { message: 'The security token included in the request is invalid.' }, 'UnrecognizedClientException');

    // Assess
    expect(error.failure).toBe('signature');
    expect(error.details).toContain('does not know the access key');
  });

  it('names the aps actions for AccessDenied, quoting who was denied what', () => {
    // Act
    const error = amp(
      403,
      {
        Message:
          'User: arn:aws:sts::111122223333:assumed-role/Reader/StackState-Prometheus-Mirror is not authorized to perform: aps:QueryMetrics on resource: arn:aws:aps:eu-west-1:111122223333:workspace/ws-1',
      },
      'AccessDeniedException',
    );

    // Assess
    expect(error.failure).toBe('permission');
    for (const action of ['aps:QueryMetrics', 'aps:GetLabels', 'aps:GetSeries', 'aps:GetMetricMetadata']) {
      expect(error.details).toContain(action);
    }
    expect(error.details).toContain('assumed-role/Reader');
  });

  it('points at the workspace url for a 404', () => {
    // Act
    const error = amp(404, { message: 'Workspace not found' }, 'ResourceNotFoundException');

    // Assess
    expect(error.failure).toBe('not-found');
    expect(error.details).toContain('/workspaces/<workspace id>');
  });

  it('reports 429 Rate exceeded as throttled', () => {
    // Act
    const error = amp(429, { message: 'Rate exceeded' }, 'ThrottlingException');

    // Assess
    expect(error.failure).toBe('throttled');
    expect(error.status).toBe(429);
  });

  it.each([
    [422, 'expanding series: the query hit the aggregated data size limit (limit: 5368709120 bytes)', 'reads more data'],
    [422, 'the query hit the max number of series limit (limit: 12000000 series)', 'more series'],
    [422, 'query processing would load too many samples into memory in query execution', 'reads more data'],
    [400, 'the query time range exceeds the limit (query length: 900h0m0s, limit: 768h0m0s)', 'time range'],
    [422, 'the query hit the max number of chunks limit (limit: 20000000 chunks)', 'reads more data'],
  ])('turns the Cortex limit error (%i) "%s" into advice', (status, text, advice) => {
    // Act
    const error = amp(status, { status: 'error', errorType: 'execution', error: text });

    // Assess
    expect(error.failure).toBe('limit');
    expect(error.details).toContain(advice);
    expect(error.details).toContain(text.slice(0, 40));
  });

  it('still reports an ordinary bad query as one', () => {
    // Act
    const error = amp(400, { status: 'error', errorType: 'bad_data', error: 'parse error at char 5: unexpected end of input' });

    // Assess
    expect(error.failure).toBe('bad-query');
  });

  it('reports a query timeout as a timeout', () => {
    // Act
    const error = amp(422, { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' });

    // Assess
    expect(error.failure).toBe('timeout');
  });
});
