import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { startLocalServer } from '../support/local-server.js';
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
  return startLocalServer({ MIRROR_API_KEY: TEST_API_KEY });
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
