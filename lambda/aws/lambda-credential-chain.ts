/**
 * The credential chain of the deployed Lambda: the execution role's keys, which Lambda puts
 * in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN). The
 * Lambda bundle aliases `@aws-sdk/credential-provider-node` to this file (lib/mirror-function.ts),
 * so neither the mirror nor the SDK clients it uses (STS, Secrets Manager) carry the SSO, INI,
 * process, IMDS, container and web-identity providers a Lambda never reaches. `npm start` and the
 * tests are not bundled: they keep the full chain (profiles, SSO, …) of the real package.
 *
 * Same export as the package it stands in for: `defaultProvider(init)` returns a provider.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider: typeof fromEnv = (init) => fromEnv(init);
