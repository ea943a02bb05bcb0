import { execFileSync } from 'node:child_process';

/** Debian's package that brings `/usr/bin/chromium`; Playwright's own browser download cannot work here. */
export const CHROMIUM_INSTALL = ['install', '-y', '-qq', '--no-install-recommends', 'chromium'];

/** The path of the machine's `chromium`, or `undefined` when there is none. */
export function findChromium(): string | undefined {
  try {
    const path = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
    return path === '' ? undefined : path;
  } catch {
    return undefined;
  }
}

/**
 * Vitest global setup of the browser tests: makes sure Debian's Chromium is there, so that
 * `npm test` on a fresh Debian machine needs no manual step. As root it installs the package
 * with apt-get (the one system package the tests install; Prometheus is only unpacked into
 * .cache/); otherwise it fails with the command to run.
 */
export default function setup(): void {
  if (findChromium() !== undefined) return;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot) {
    throw new Error(`The browser tests need Debian's Chromium: sudo apt-get ${CHROMIUM_INSTALL.join(' ')}`);
  }
  console.log('--- installing Chromium (Debian package) for the playground browser tests');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', CHROMIUM_INSTALL, { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (findChromium() === undefined) throw new Error('apt-get installed chromium, but `command -v chromium` still finds nothing');
}
