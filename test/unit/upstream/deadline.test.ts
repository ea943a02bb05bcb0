import { afterEach, describe, expect, it } from 'vitest';
import { newInvocation } from '../../../lambda/app/invocation.js';
import { openStore, setNetworkTransport } from '../../../lambda/app/store.js';
import { resetAwsCredentialState } from '../../../lambda/aws/credentials.js';
import { Deadline } from '../../../lambda/deadline.js';
import { MetricStoreConnectionError } from '../../../lambda/errors.js';
import type { ConnectionDetails } from '../../../lambda/protocol/connection-details.js';
import type { Transport, UpstreamRequest, UpstreamResponse } from '../../../lambda/upstream/transport.js';

const NOW = 1_000_000;
const EMPTY_VECTOR = JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } });
const PROMETHEUS: ConnectionDetails = { url: 'http://127.0.0.1:9090' };
const AMP: ConnectionDetails = {
  url: 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1',
  aws: { aws_access_key_id: 'AKIASTATIC0000000001', aws_secret_access_key: 'static-secret' },
};

/** A clock the test moves; only the Deadline reads it, so what follows from it comes from the Deadline. */
function testClock() {
  const clock = { now: NOW, read: () => clock.now };
  return clock;
}

/** The network as a double: records what is sent, answers from `answers` in turn (the last one repeats). */
function network(...answers: ((request: UpstreamRequest) => UpstreamResponse)[]) {
  const sent: UpstreamRequest[] = [];
  const transport: Transport = async (request) => {
    sent.push(request);
    const answer = answers[Math.min(sent.length, answers.length) - 1] as (request: UpstreamRequest) => UpstreamResponse;
    return answer(request);
  };
  return { sent, transport };
}

const ok = () => ({ status: 200, headers: {}, body: EMPTY_VECTOR });
const unavailable = () => ({ status: 503, headers: {}, body: 'busy' });
const timeoutOf = (request: UpstreamRequest | undefined) => new URLSearchParams(request?.body).get('timeout');

let previous: Transport | undefined;
afterEach(() => {
  if (previous !== undefined) setNetworkTransport(previous);
  previous = undefined;
  resetAwsCredentialState();
});

describe('Deadline', () => {
  it.each([
    [10_000, Number.POSITIVE_INFINITY, '8s'],
    [300_000, 25_000, '25s'],
    [1_200, Number.POSITIVE_INFINITY, '1s'],
    [-5_000, Number.POSITIVE_INFINITY, '1s'],
  ])('with %i ms left and a cap of %d ms, asks the store for a timeout of %s', (leftMs, capMs, expected) => {
    // Prepare
    const clock = testClock();

    // Act
    const timeout = Deadline.after(leftMs, clock.read).queryTimeout(capMs);

    // Assess
    expect(timeout).toBe(expected);
  });

  it('narrows to the earlier end, never widens', () => {
    // Prepare
    const clock = testClock();
    const deadline = Deadline.after(10_000, clock.read);

    // Act
    const narrower = deadline.within(3_000);
    const wider = deadline.within(60_000);

    // Assess
    expect(narrower.atMs).toBe(NOW + 3_000);
    expect(wider.atMs).toBe(NOW + 10_000);
  });

  it('allows work that ends in time, and reads the time from its clock', () => {
    // Prepare
    const clock = testClock();
    const deadline = Deadline.after(1_000, clock.read);

    // Act
    const before = [deadline.allows(1_000), deadline.allows(1_001)];
    clock.now += 600;
    const after = [deadline.allows(400), deadline.allows(401), deadline.leftMs()];

    // Assess
    expect(before).toEqual([true, false]);
    expect(after).toEqual([true, false, 400]);
  });
});

describe("the invocation's deadline, handed down by openStore", () => {
  it("gives a Prometheus query its timeout: the invocation's time less the margins", async () => {
    // Prepare: 11.5 s left in Lambda, 1.5 s kept for the answer: the deadline is 10 s away
    const clock = testClock();
    const { sent, transport } = network(ok);
    previous = setNetworkTransport(transport);
    const { client } = openStore({ ...PROMETHEUS, request_timeout_seconds: 60 }, newInvocation('r1', 11_500, clock.read));

    // Act
    await client.query('up', NOW);
    clock.now += 4_000;
    await client.query('up', NOW);

    // Assess: each call reads the time left when it is made
    expect(sent.map(timeoutOf)).toEqual(['8s', '4s']);
  });

  it('narrows it by request_timeout_seconds', async () => {
    // Prepare
    const clock = testClock();
    const { sent, transport } = network(ok);
    previous = setNetworkTransport(transport);
    const { client } = openStore({ ...PROMETHEUS, request_timeout_seconds: 5 }, newInvocation('r1', 60_000, clock.read));

    // Act
    await client.query('up', NOW);

    // Assess
    expect(timeoutOf(sent[0])).toBe('3s');
  });

  it("caps an AMP query's timeout at AMP's cap, in the signed body", async () => {
    // Prepare
    const clock = testClock();
    const { sent, transport } = network(ok);
    previous = setNetworkTransport(transport);
    const { client } = openStore({ ...AMP, request_timeout_seconds: 300 }, newInvocation('r1', 600_000, clock.read));

    // Act
    await client.query('up', NOW);

    // Assess
    expect(timeoutOf(sent[0])).toBe('25s');
    expect(sent[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
  });

  it.each([
    ['Prometheus', PROMETHEUS],
    ['AMP', AMP],
  ])('retries a 503 from %s while the deadline allows another attempt', async (_store, details) => {
    // Prepare
    const clock = testClock();
    const { sent, transport } = network(unavailable, ok);
    previous = setNetworkTransport(transport);
    const { client } = openStore(details, newInvocation('r1', 11_500, clock.read));

    // Act
    const result = await client.query('up', NOW);

    // Assess
    expect(result.resultType).toBe('vector');
    expect(sent).toHaveLength(2);
  });

  it.each([
    ['Prometheus', PROMETHEUS],
    ['AMP', AMP],
  ])('does not retry %s once the deadline leaves no room for another attempt', async (_store, details) => {
    // Prepare: the first attempt uses up all but 100 ms of the deadline's clock
    const clock = testClock();
    const { sent, transport } = network(() => {
      clock.now += 9_900;
      return unavailable();
    }, ok);
    previous = setNetworkTransport(transport);
    const { client } = openStore(details, newInvocation('r1', 11_500, clock.read));

    // Act
    const outcome = await client.query('up', NOW).catch((error: unknown) => error);

    // Assess
    expect(outcome).toBeInstanceOf(MetricStoreConnectionError);
    expect(sent).toHaveLength(1);
  });
});
