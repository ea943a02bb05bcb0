import { execFile } from 'node:child_process';
import { access, constants, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type DebianSource, mainDebianSource, parseDeb822, parseOneLine, releaseCodename, sourcesFile } from './apt-sources.js';

const run = promisify(execFile);

/** The Prometheus major versions the integration tests run on. */
export type PrometheusEngine = 2 | 3;

export interface ProvisionOptions {
  /** Where the unpacked package is kept; default `.cache/prometheus/<engine>/` in the project. */
  cacheDir?: string;
  /** Progress lines (downloads); silent by default. */
  log?: (line: string) => void;
  /** Where the overrides are read; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

export interface ProvisionedPrometheus {
  prometheus: string;
  promtool: string;
  /** e.g. `3.5.3` */
  version: string;
}

/** Puts the unpacked programs under `root` (as `usr/bin/prometheus`, `usr/bin/promtool`). */
export type Unpack = (root: string, log: (line: string) => void) => Promise<void>;

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Prometheus `engine` (2 or 3) for the tests, without installing anything: the overrides
 * (`MIRROR_TEST_PROMETHEUS`/`MIRROR_TEST_PROMTOOL` for 2, `..._3` for 3) when set, else the
 * programs unpacked in the cache, else Debian's package downloaded with `apt-get download`
 * and unpacked with `dpkg -x` into the cache — 2 from this machine's Debian release, 3 from
 * sid, each through a private sources file and private apt lists (the system's apt
 * configuration is read, never changed).
 * @throws Error when the programs do not run or are not of that major version.
 */
export async function provisionPrometheus(engine: PrometheusEngine, options: ProvisionOptions = {}): Promise<ProvisionedPrometheus> {
  const env = options.env ?? process.env;
  const suffix = engine === 2 ? '' : `_${engine}`;
  const prometheus = env[`MIRROR_TEST_PROMETHEUS${suffix}`];
  const promtool = env[`MIRROR_TEST_PROMTOOL${suffix}`];
  if (prometheus || promtool) {
    if (!prometheus || !promtool) {
      throw new Error(`Set both MIRROR_TEST_PROMETHEUS${suffix} and MIRROR_TEST_PROMTOOL${suffix}, or neither.`);
    }
    return checkPrograms(engine, prometheus, promtool);
  }
  const cacheDir = options.cacheDir ?? join(PROJECT, '.cache', 'prometheus', String(engine));
  return provisionInto(engine, cacheDir, (root, log) => downloadDebian(engine, root, log), options.log ?? (() => undefined));
}

/**
 * The cache logic, with the unpacking step given: a complete `root/` is reused; otherwise
 * the programs are unpacked into a private staging folder, checked, and renamed into place
 * in one step. Two processes at once both unpack; the first rename wins, the other uses it.
 */
export async function provisionInto(
  engine: PrometheusEngine,
  cacheDir: string,
  unpack: Unpack,
  log: (line: string) => void,
): Promise<ProvisionedPrometheus> {
  const root = join(cacheDir, 'root');
  if (await exists(root)) return checkPrograms(engine, ...programsIn(root));
  await mkdir(cacheDir, { recursive: true });
  const staging = await mkdtemp(join(cacheDir, 'staging-'));
  try {
    await unpack(join(staging, 'root'), log);
    await checkPrograms(engine, ...programsIn(join(staging, 'root')));
    try {
      await rename(join(staging, 'root'), root);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      log(`Prometheus ${engine}: another process unpacked it first; using that copy`);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return checkPrograms(engine, ...programsIn(root));
}

function programsIn(root: string): [string, string] {
  return [join(root, 'usr', 'bin', 'prometheus'), join(root, 'usr', 'bin', 'promtool')];
}

/** Runs both programs with `--version`; the major version must be `engine`. */
async function checkPrograms(engine: PrometheusEngine, prometheus: string, promtool: string): Promise<ProvisionedPrometheus> {
  const version = /version (\d+)\.(\d+)\.(\d+)/.exec(await versionText(prometheus));
  await versionText(promtool);
  if (version === null) throw new Error(`${prometheus} --version does not name a version`);
  if (Number(version[1]) !== engine) {
    throw new Error(`${prometheus} is Prometheus ${version[1]}.${version[2]}.${version[3]}, not ${engine}.x`);
  }
  return { prometheus, promtool, version: `${version[1]}.${version[2]}.${version[3]}` };
}

async function versionText(program: string): Promise<string> {
  try {
    const { stdout, stderr } = await run(program, ['--version'], { timeout: 20_000 });
    return `${stdout}\n${stderr}`;
  } catch (error) {
    throw new Error(`${program} does not run: ${(error as Error).message}`);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/** `apt-get download` + `dpkg -x` of `prometheus` (and, where it is a package of its own, `promtool`). */
async function downloadDebian(engine: PrometheusEngine, root: string, log: (line: string) => void): Promise<void> {
  const codename = releaseCodename(await readFile('/etc/os-release', 'utf8').catch(() => ''));
  const source = mainDebianSource(await systemSources(), codename);
  const suite = engine === 2 ? codename : 'sid';
  const work = join(root, '..', 'apt');
  await mkdir(join(work, 'lists', 'partial'), { recursive: true });
  await mkdir(join(work, 'cache', 'archives', 'partial'), { recursive: true });
  await mkdir(join(work, 'debs'), { recursive: true });
  await writeFile(join(work, 'prometheus.sources'), sourcesFile(source, suite));
  const apt = [
    '-qq',
    '-o',
    `Dir::Etc::SourceList=${join(work, 'prometheus.sources')}`,
    '-o',
    'Dir::Etc::SourceParts=/dev/null',
    '-o',
    `Dir::State::Lists=${join(work, 'lists')}`,
    '-o',
    `Dir::Cache=${join(work, 'cache')}`,
    '-o',
    'Acquire::Languages=none',
    ...(process.getuid?.() === 0 ? ['-o', 'APT::Sandbox::User=root'] : []),
  ];
  log(`Prometheus ${engine}: downloading Debian ${suite}'s package (apt-get download, not installed)`);
  await command('apt-get', [...apt, 'update'], work);
  await command('apt-get', [...apt, 'download', 'prometheus'], join(work, 'debs'));
  await unpackAll(join(work, 'debs'), root);
  if (!(await exists(programsIn(root)[1]))) {
    await command('apt-get', [...apt, 'download', 'promtool'], join(work, 'debs'));
    await unpackAll(join(work, 'debs'), root);
  }
}

async function unpackAll(debs: string, root: string): Promise<void> {
  for (const deb of (await readdir(debs)).filter((name) => name.endsWith('.deb'))) {
    await command('dpkg', ['-x', join(debs, deb), root], debs);
  }
}

async function command(program: string, args: string[], cwd: string): Promise<void> {
  try {
    await run(program, args, { cwd, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stderr?: string; message?: string };
    throw new Error(`${program} ${args.at(-1)} failed: ${(e.stderr || e.message || String(error)).slice(-2000)}`);
  }
}

async function systemSources(): Promise<DebianSource[]> {
  const dir = '/etc/apt/sources.list.d';
  const names = await readdir(dir).catch(() => [] as string[]);
  const sources: DebianSource[] = [];
  for (const name of names.sort()) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => '');
    if (name.endsWith('.sources')) sources.push(...parseDeb822(text));
    else if (name.endsWith('.list')) sources.push(...parseOneLine(text));
  }
  sources.push(...parseOneLine(await readFile('/etc/apt/sources.list', 'utf8').catch(() => '')));
  return sources;
}

const engineArgument = process.argv[2];
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (engineArgument !== '2' && engineArgument !== '3') {
    console.error('usage: tsx scripts/prometheus/provision.ts 2|3');
    process.exit(2);
  }
  const found = await provisionPrometheus(Number(engineArgument) as PrometheusEngine, { log: (line) => console.log(line) });
  console.log(`Prometheus ${found.version}: ${found.prometheus} (promtool: ${found.promtool})`);
}
