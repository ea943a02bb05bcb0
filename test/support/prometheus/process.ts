import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A Prometheus server started by the harness. */
export interface RunningPrometheus {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The Prometheus process id (not the watchdog shell's). */
  readonly pid: number;
  /** The last lines Prometheus logged, for error messages. */
  logTail(): string;
  /** Stops Prometheus and waits until it is gone. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOptions {
  binary: string;
  /** The TSDB directory (already backfilled). */
  dataDir: string;
  /** Where prometheus.yml is written. */
  workDir: string;
  /** How long to wait for `/-/ready`. */
  readyTimeoutMs?: number;
  /** Self-scrape interval: gives real metadata for Prometheus' own metric families. */
  scrapeIntervalSeconds?: number;
  /** More scrape jobs beside the self-scrape, at the same interval (the demo scrapes the mirror). */
  extraTargets?: readonly { job: string; target: string; metricsPath: string }[];
}

/**
 * A watchdog between Node and Prometheus: it starts Prometheus, prints its pid, and kills it
 * as soon as its standard input reaches end-of-file — when the harness closes the pipe in
 * teardown, and also when the test runner dies without a teardown. It exits with Prometheus'
 * exit code when Prometheus stops on its own.
 */
const WATCHDOG = [
  'exec 3<&0',
  '"$0" "$@" </dev/null >&2 &',
  'p=$!',
  'echo "$p"',
  '( read -r _ <&3; kill "$p" 2>/dev/null ) &',
  'w=$!',
  'exec 3<&-',
  'wait "$p"',
  'rc=$?',
  'kill "$w" 2>/dev/null',
  'exit "$rc"',
].join('\n');

/**
 * Starts Prometheus on a free loopback port (Prometheus cannot report a port-0 listener, so
 * the port is chosen here; a lost race is retried on another port) and waits for `/-/ready`.
 * Retention is effectively unlimited so that the backfilled 2026 blocks survive start-up,
 * and block compaction is off so that blocks (and with them label-name answers narrowed by
 * time) stay as backfilled during the run.
 */
export async function startPrometheus(options: StartOptions): Promise<RunningPrometheus> {
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freeLoopbackPort();
    try {
      return await startOnPort(options, port);
    } catch (error) {
      lastError = error as Error;
      if (!/address already in use/i.test(lastError.message)) throw lastError;
    }
  }
  throw lastError ?? new Error('Prometheus did not start');
}

async function startOnPort(options: StartOptions, port: number): Promise<RunningPrometheus> {
  const address = `127.0.0.1:${port}`;
  const config = join(options.workDir, 'prometheus.yml');
  await writeFile(config, prometheusConfig(address, options.scrapeIntervalSeconds ?? 2, options.extraTargets ?? []));
  const args = [
    `--config.file=${config}`,
    `--storage.tsdb.path=${options.dataDir}`,
    `--web.listen-address=${address}`,
    '--storage.tsdb.retention.time=36500d',
    '--storage.tsdb.min-block-duration=2h',
    '--storage.tsdb.max-block-duration=2h',
    '--log.level=warn',
  ];
  const child = spawn('sh', ['-c', WATCHDOG, options.binary, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const running = supervise(child, `http://${address}`);
  try {
    await running.started;
    await waitUntil(
      async () => (await fetch(`${running.url}/-/ready`, { signal: AbortSignal.timeout(2000) })).ok,
      options.readyTimeoutMs ?? 60_000,
      () => running.exitReason(),
    );
  } catch (error) {
    await running.stop();
    throw new Error(`Prometheus did not become ready: ${(error as Error).message}\n${running.logTail()}`);
  }
  return running;
}

function prometheusConfig(address: string, intervalSeconds: number, extraTargets: NonNullable<StartOptions['extraTargets']>): string {
  return [
    'global:',
    `  scrape_interval: ${intervalSeconds}s`,
    `  scrape_timeout: ${Math.max(1, intervalSeconds - 1)}s`,
    'scrape_configs:',
    '  - job_name: prometheus',
    '    static_configs:',
    `      - targets: ['${address}']`,
    ...extraTargets.flatMap(({ job, target, metricsPath }) => [
      `  - job_name: ${job}`,
      `    metrics_path: ${metricsPath}`,
      '    static_configs:',
      `      - targets: ['${target}']`,
    ]),
    '',
  ].join('\n');
}

interface Supervised extends RunningPrometheus {
  /** Resolves once the watchdog reported Prometheus' pid. */
  started: Promise<void>;
  /** Why Prometheus is gone, or undefined while it runs. */
  exitReason(): string | undefined;
}

function supervise(child: ChildProcess, url: string): Supervised {
  let pid = 0;
  let log = '';
  let exit: string | undefined;
  let stdout = '';
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = `Prometheus exited (${signal ?? `code ${code}`})`;
      resolve();
    });
    child.once('error', (error) => {
      exit = `could not run Prometheus: ${error.message}`;
      resolve();
    });
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-8000);
  });
  const killOnExit = (): void => {
    if (pid > 0) killQuietly(pid, 'SIGKILL');
  };
  process.once('exit', killOnExit);
  const started = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /^(\d+)\n/.exec(stdout);
      if (match && pid === 0) {
        pid = Number(match[1]);
        resolve();
      }
    });
    void exited.then(() => reject(new Error(`${exit ?? 'Prometheus exited'}\n${log}`)));
  });
  started.catch(() => undefined);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      child.stdin?.end();
      const gone = await Promise.race([exited.then(() => true), delay(15_000).then(() => false)]);
      if (!gone) {
        if (pid > 0) killQuietly(pid, 'SIGKILL');
        child.kill('SIGKILL');
        await Promise.race([exited, delay(5000)]);
      }
      process.removeListener('exit', killOnExit);
    })();
    return stopping;
  };
  return {
    url,
    get pid() {
      return pid;
    },
    started,
    logTail: () => log,
    exitReason: () => exit,
    stop,
  };
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/**
 * Polls `check` until it returns true. Errors thrown by `check` count as "not yet".
 * @param abortReason when it returns a text, waiting stops at once with that text.
 */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  abortReason: () => string | undefined = () => undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    const reason = abortReason();
    if (reason !== undefined) throw new Error(reason);
    try {
      if (await check()) return;
    } catch (error) {
      lastError = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms${lastError ? ` (${lastError})` : ''}`);
    await delay(100);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
