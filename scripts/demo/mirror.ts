import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ENV } from '../../lambda/contract/index.js';
import { SELF_METRICS_PATH } from '../../lambda/local/self-metrics.js';
import { waitUntil } from '../../test/support/prometheus/process.js';
import type { DemoQuery } from './links.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The mirror `npm start` runs, as a child process of the demo. */
export interface RunningMirror {
  readonly url: string;
  readonly pid: number;
  /** Why it is gone, or undefined while it runs. */
  exitReason(): string | undefined;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** SIGTERM, then SIGKILL after 5 s; resolves when it is gone. */
  stop(): Promise<void>;
}

/**
 * Starts lambda/local/server.ts on 127.0.0.1:`port` (with the same Node and loader as the
 * demo), allowing the demo store's URL only, and waits until it answers its metrics path.
 * Its request log lines are silenced; its start-up notes go to the demo's stderr.
 */
export async function startMirror(port: number, storeUrl: string): Promise<RunningMirror> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lambda/local/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', [ENV.allowedUrls]: storeUrl, [ENV.requestLog]: 'off' },
    stdio: ['ignore', 'ignore', 'pipe'],
    // its own process group: a terminal's Ctrl-C reaches the demo only, which then stops the mirror in order
    detached: true,
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) process.stderr.write(`mirror: ${line}\n`);
  });
  const running = supervise(child, `http://127.0.0.1:${port}`);
  try {
    await waitUntil(
      async () => (await fetch(`${running.url}${SELF_METRICS_PATH}`, { signal: AbortSignal.timeout(2000) })).ok,
      30_000,
      running.exitReason,
    );
  } catch (error) {
    await running.stop();
    throw new Error(`the mirror did not start: ${(error as Error).message}`);
  }
  return running;
}

function supervise(child: ChildProcess, url: string): RunningMirror {
  let reason: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      reason = `the mirror exited (${signal ?? `code ${code}`})`;
      resolve();
    });
    child.once('error', (error) => {
      reason = `could not run the mirror: ${error.message}`;
      resolve();
    });
  });
  let stopping: Promise<void> | undefined;
  return {
    url,
    pid: child.pid ?? 0,
    exitReason: () => reason,
    exited,
    stop: () => {
      stopping ??= (async () => {
        if (reason !== undefined) return;
        child.kill('SIGTERM');
        const gone = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
        if (!gone) {
          child.kill('SIGKILL');
          await exited;
        }
      })();
      return stopping;
    },
  };
}

/** Sends `query` to the mirror's api/metric for `storeUrl`; the number of points, or an Error's text. */
export async function countPoints(mirrorUrl: string, storeUrl: string, query: DemoQuery): Promise<number> {
  const response = await fetch(`${mirrorUrl}/api/metric`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ _type: 'MetricsRequest', connectionDetails: { url: storeUrl }, query }),
    signal: AbortSignal.timeout(20_000),
  });
  const body = (await response.json()) as { telemetry?: { points?: unknown[] }; summary?: string; details?: string };
  if (!response.ok) throw new Error(`api/metric answered ${response.status}: ${body.summary ?? ''} ${body.details ?? ''}`.trim());
  return body.telemetry?.points?.length ?? 0;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
