/**
 * Reads the machine's own apt sources, so that provisioning downloads from the Debian
 * archive this machine already uses (no archive host is written in this project).
 */

/** One `deb` source: where the archive is and which keyring signs it. */
export interface DebianSource {
  uri: string;
  suites: string[];
  components: string[];
  signedBy?: string;
}

/** Parses deb822 `.sources` text: blank-line separated stanzas, `#` comments, `Enabled: no` skipped. */
export function parseDeb822(text: string): DebianSource[] {
  const sources: DebianSource[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let last = '';
    for (const line of stanza.split('\n')) {
      if (line.startsWith('#') || line.trim() === '') continue;
      if (/^\s/.test(line)) {
        // a continuation line (an inline key): the field is then not a keyring path
        if (last !== '') fields.set(last, `${fields.get(last) ?? ''}\n${line.trim()}`);
        continue;
      }
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      last = line.slice(0, colon).trim().toLowerCase();
      fields.set(last, line.slice(colon + 1).trim());
    }
    const words = (name: string): string[] => (fields.get(name) ?? '').split(/\s+/).filter(Boolean);
    if (!words('types').includes('deb') || fields.get('enabled')?.toLowerCase() === 'no') continue;
    const signedBy = fields.get('signed-by');
    for (const uri of words('uris')) {
      sources.push({
        uri,
        suites: words('suites'),
        components: words('components'),
        ...(signedBy?.startsWith('/') && !signedBy.includes('\n') ? { signedBy } : {}),
      });
    }
  }
  return sources;
}

/** Parses one-line `sources.list` text: `deb [signed-by=/path] URI SUITE COMPONENT...`. */
export function parseOneLine(text: string): DebianSource[] {
  const sources: DebianSource[] = [];
  for (const raw of text.split('\n')) {
    const match = /^\s*deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(raw.replace(/#.*$/, ''));
    if (!match) continue;
    const signedBy = /(?:^|\s)signed-by=(\S+)/.exec(match[1] ?? '')?.[1];
    sources.push({
      uri: match[2] ?? '',
      suites: [match[3] ?? ''],
      components: (match[4] ?? '').split(/\s+/).filter(Boolean),
      ...(signedBy !== undefined ? { signedBy } : {}),
    });
  }
  return sources;
}

/**
 * The machine's main Debian archive: the first `deb` source of the release `codename` with
 * the `main` component (not its -security, -updates or -backports suites).
 * @throws Error when there is none, saying which overrides to set instead.
 */
export function mainDebianSource(sources: DebianSource[], codename: string): DebianSource {
  const found = sources.find((s) => s.suites.includes(codename) && s.components.includes('main'));
  if (found === undefined) {
    throw new Error(
      `No apt source of Debian ${codename || '(unknown release)'} with the main component was found in ` +
        '/etc/apt/sources.list or /etc/apt/sources.list.d/. Point the tests at the programs instead: ' +
        'MIRROR_TEST_PROMETHEUS and MIRROR_TEST_PROMTOOL (Prometheus 2), MIRROR_TEST_PROMETHEUS_3 and ' +
        'MIRROR_TEST_PROMTOOL_3 (Prometheus 3).',
    );
  }
  return found;
}

/** A deb822 file with one source: `uri` at `suite`, main only, the same keyring. */
export function sourcesFile(source: DebianSource, suite: string): string {
  return [
    'Types: deb',
    `URIs: ${source.uri}`,
    `Suites: ${suite}`,
    'Components: main',
    ...(source.signedBy !== undefined ? [`Signed-By: ${source.signedBy}`] : []),
    '',
  ].join('\n');
}

/** `VERSION_CODENAME` of an /etc/os-release text, or '' when it has none. */
export function releaseCodename(osRelease: string): string {
  return /^VERSION_CODENAME=["']?([^"'\n]*)["']?$/m.exec(osRelease)?.[1]?.trim() ?? '';
}
