/** What a mocked STS answers AssumeRole with: credentials of `accessKeyId`, valid for an hour from now. */
export function assumeRoleAnswer(accessKeyId: string) {
  return {
    Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 3_600_000) },
  };
}
