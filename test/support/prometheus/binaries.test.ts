import { describe, expect, it } from 'vitest';
import { findBinaries } from './binaries.js';

describe('finding prometheus and promtool', () => {
  it('fails with the apt-get line that installs them when they are missing', async () => {
    // Prepare
    const env = { MIRROR_TEST_PROMETHEUS: '/nonexistent/prometheus', MIRROR_TEST_PROMTOOL: '/nonexistent/promtool' };

    // Act / Assess
    await expect(findBinaries(env)).rejects.toThrow(
      'prometheus and promtool are not installed. Install it with: apt-get install -y --no-install-recommends prometheus',
    );
  });

  it('names only the program that is missing', async () => {
    // Prepare
    const env = { MIRROR_TEST_PROMETHEUS: '/bin/sh', MIRROR_TEST_PROMTOOL: '/nonexistent/promtool', PATH: '' };

    // Act / Assess
    await expect(findBinaries(env)).rejects.toThrow(/but promtool is not installed/);
  });

  it('uses an executable override when one is given', async () => {
    // Prepare
    const env = { MIRROR_TEST_PROMETHEUS: '/bin/sh', MIRROR_TEST_PROMTOOL: '/bin/sh' };

    // Act / Assess
    await expect(findBinaries(env)).resolves.toEqual({ prometheus: '/bin/sh', promtool: '/bin/sh' });
  });
});
