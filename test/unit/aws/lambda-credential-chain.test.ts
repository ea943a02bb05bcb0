import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultProvider } from '../../../lambda/aws/lambda-credential-chain.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the Lambda bundle's credential chain", () => {
  it("returns the execution role's keys Lambda puts in the environment", async () => {
    // Arrange
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIALAMBDAROLE000001');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'lambda-role-secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'lambda-role-token');

    // Act
    const credentials = await defaultProvider({})();

    // Assess
    expect(credentials).toMatchObject({
      accessKeyId: 'ASIALAMBDAROLE000001',
      secretAccessKey: 'lambda-role-secret',
      sessionToken: 'lambda-role-token',
    });
  });

  it('fails with the error the STS error mapping knows when the environment holds no keys', async () => {
    // Arrange
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');

    // Act
    const attempt = defaultProvider({})();

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'CredentialsProviderError' });
  });
});
