import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provisionPrometheus } from './prometheus/provision.js';
import { demoStreams, playgroundLink } from './demo/links.js';
import { takeLock } from './demo/lock.js';
import { countPoints, type RunningMirror, startMirror } from './demo/mirror.js';
import { type DemoStore, startDemoStore } from './demo/store.js';

/**
 * `npm run demo`: a Prometheus of its own (the test data set, moved to end now, plus live
 * scrapes of the mirror's own metrics), the mirror in front of it, and one playground link
 * per stream worth a look. Ctrl-C or SIGTERM stops both and removes the temporary data.
 */
const port = Number(process.env.PORT ?? 7007);
const mirrorUrl = `http://127.0.0.1:${port}`;
/** How long the live streams may take to show their first points. */
const LIVE_WAIT_MS = 30_000;

if (!Number.isInteger(port) || port <= 0 || port > 65_535) fail(`PORT must be a port number, not "${process.env.PORT}".`);

const workDir = await mkdtemp(join(tmpdir(), 'mirror-demo-'));
const removeWorkDir = (): void => rmSync(workDir, { recursive: true, force: true });
process.once('exit', removeWorkDir);
const lock = await takeLock({ pid: process.pid, mirror: mirrorUrl, workDir });
if (!lock.held) {
  removeWorkDir();
  fail(
    `A demo is already running (pid ${lock.owner.pid}, mirror at ${lock.owner.mirror}). Stop it with Ctrl-C in its terminal, or: kill ${lock.owner.pid}`,
  );
}
const releaseLock = lock.release;
process.once('exit', releaseLock);
if (!(await portIsFree(port))) {
  fail(`Port ${port} is taken (is \`npm start\` running?). Stop it, or choose another port: PORT=7008 npm run demo`);
}

let store: DemoStore | undefined;
let mirror: RunningMirror | undefined;
let stopping: Promise<void> | undefined;

function stop(code: number): Promise<void> {
  stopping ??= (async () => {
    await Promise.allSettled([mirror?.stop(), store?.prometheus.stop()]);
    await rm(workDir, { recursive: true, force: true });
    releaseLock();
    process.exit(code);
  })();
  return stopping;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    process.stderr.write('\nStopping the demo…\n');
    void stop(0);
  });
}

try {
  const started = Date.now();
  const binaries = await provisionPrometheus(2, { log: (line) => console.error(line) });
  process.stderr.write(`Backfilling the demo data set into ${workDir} …\n`);
  store = await startDemoStore(binaries, workDir, port);
  mirror = await startMirror(port, store.prometheus.url);
  void mirror.exited.then(() => {
    if (stopping === undefined) {
      process.stderr.write(`${mirror?.exitReason() ?? 'the mirror stopped'}: stopping the demo.\n`);
      void stop(1);
    }
  });
  const storeUrl = store.prometheus.url;
  const streams = demoStreams(store.shiftedToMs, Date.now());
  const points = await Promise.all(streams.map((s) => pointsOnceThere(mirror as RunningMirror, storeUrl, s.query)));
  process.stdout.write(
    `\nDemo store (Prometheus): ${storeUrl}   mirror: ${mirrorUrl}   ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n\n`,
  );
  streams.forEach((stream, i) => {
    process.stdout.write(`# ${stream.title} (${points[i]} points now)\n`);
    process.stdout.write(`Playground: ${playgroundLink(mirrorUrl, storeUrl, stream.query)}\n`);
  });
  process.stdout.write('\nLive streams gain a point every 5 s. Ctrl-C stops the demo and removes its data.\n');
} catch (error) {
  process.stderr.write(`The demo could not start: ${(error as Error).message}\n`);
  await stop(1);
}

/** The stream's point count once it has any (live streams need a scrape or two first). */
async function pointsOnceThere(running: RunningMirror, storeUrl: string, query: Parameters<typeof countPoints>[2]): Promise<number> {
  const deadline = Date.now() + LIVE_WAIT_MS;
  for (;;) {
    let problem: string;
    try {
      const n = await countPoints(running.url, storeUrl, query);
      if (n > 0) return n;
      problem = 'no points';
    } catch (error) {
      problem = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`a demo stream has ${problem}: ${JSON.stringify(query.conditions)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function portIsFree(candidate: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(candidate, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
