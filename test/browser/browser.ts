import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { findChromium } from './chromium-setup.js';

/**
 * What the browser tests run: `npm start`'s server as a child on a free loopback port, and
 * Debian's Chromium (the machine's `chromium`, never a downloaded build) through
 * playwright-core, headless with a fresh profile and no background traffic.
 */
export const TEST_API_KEY = 'browser-test-key';

export interface RunningMirror {
  url: string;
  stop(): Promise<void>;
}

export async function startMirror(): Promise<RunningMirror> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'lambda/local/server.ts'], {
    cwd: join(import.meta.dirname, '../..'),
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', MIRROR_API_KEY: TEST_API_KEY, MIRROR_REQUEST_LOG: 'off' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the mirror did not start in 30 s:\n${log}`)), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the mirror exited (${code}):\n${log}`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
}

export interface RunningBrowser {
  /** A context on the fresh profile (Playwright takes the user-data-dir this way). */
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<RunningBrowser> {
  const executablePath = findChromium();
  if (executablePath === undefined) throw new Error('no chromium on this machine (test/browser/chromium-setup.ts installs it)');
  const profile = await mkdtemp(join(tmpdir(), 'playground-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}
