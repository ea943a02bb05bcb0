import { describe, expect, it } from 'vitest';
import { mainDebianSource, parseDeb822, parseOneLine, releaseCodename, sourcesFile } from '../../../scripts/prometheus/apt-sources.js';

const DEB822 = `Types: deb
# a snapshot of the archive
URIs: http://archive.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://archive.example/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://source.example/debian
Suites: bookworm
Components: main
`;

describe("reading the machine's apt sources", () => {
  it('parses deb822 stanzas, skipping comments and deb-src', () => {
    expect(parseDeb822(DEB822)).toEqual([
      {
        uri: 'http://archive.example/debian',
        suites: ['bookworm', 'bookworm-updates'],
        components: ['main'],
        signedBy: '/usr/share/keyrings/debian-archive-keyring.gpg',
      },
      {
        uri: 'http://archive.example/debian-security',
        suites: ['bookworm-security'],
        components: ['main'],
        signedBy: '/usr/share/keyrings/debian-archive-keyring.gpg',
      },
    ]);
  });

  it('skips disabled stanzas and keeps no inline key as a keyring path', () => {
    const text = `Types: deb\nURIs: http://a.example/debian\nSuites: sid\nComponents: main\nEnabled: no\n\nTypes: deb\nURIs: http://b.example/debian\nSuites: sid\nComponents: main\nSigned-By: -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n abc\n`;
    expect(parseDeb822(text)).toEqual([{ uri: 'http://b.example/debian', suites: ['sid'], components: ['main'] }]);
  });

  it('parses one-line sources with options and comments', () => {
    const text =
      '# deb http://old.example/debian buster main\ndeb [arch=amd64 signed-by=/k.gpg] http://a.example/debian bookworm main contrib\ndeb-src http://a.example/debian bookworm main\n';
    expect(parseOneLine(text)).toEqual([
      { uri: 'http://a.example/debian', suites: ['bookworm'], components: ['main', 'contrib'], signedBy: '/k.gpg' },
    ]);
  });

  it('chooses the release source with main, not the security one', () => {
    const sources = parseDeb822(DEB822);
    expect(mainDebianSource(sources, 'bookworm').uri).toBe('http://archive.example/debian');
    expect(() => mainDebianSource(sources, 'trixie')).toThrow(/MIRROR_TEST_PROMETHEUS_3/);
  });

  it('writes a private sources file for one suite with the same keyring', () => {
    const source = mainDebianSource(parseDeb822(DEB822), 'bookworm');
    expect(sourcesFile(source, 'sid')).toBe(
      'Types: deb\nURIs: http://archive.example/debian\nSuites: sid\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n',
    );
  });

  it('reads the release codename from os-release', () => {
    expect(releaseCodename('NAME="Debian GNU/Linux"\nVERSION_CODENAME=bookworm\nID=debian\n')).toBe('bookworm');
    expect(releaseCodename('VERSION_CODENAME="trixie"\n')).toBe('trixie');
    expect(releaseCodename('NAME=x\n')).toBe('');
  });
});
