import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type IRole, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { API_GATEWAY_TIMEOUT_SECONDS, FUNCTION_TIMEOUT_SECONDS } from './concurrency.js';

/** The project root: `lib/..`. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The mirror's Lambda handler, referred to by path only (the stack never imports runtime code). */
export const HANDLER_ENTRY = fileURLToPath(new URL('../lambda/handler.ts', import.meta.url));

/**
 * In the bundle, the SDK's full credential chain (SSO, INI, process, IMDS, web identity) is
 * replaced by the environment provider: Lambda hands the function its role's keys in the
 * environment. Referred to by path only, like the handler.
 */
export const LAMBDA_CREDENTIAL_CHAIN = fileURLToPath(new URL('../lambda/aws/lambda-credential-chain.ts', import.meta.url));

/**
 * `node:http` through CommonJS `require` in the bundle: its ESM facade would load undici (see the file).
 */
export const LAMBDA_NODE_HTTP = fileURLToPath(new URL('../lambda/upstream/node-http.ts', import.meta.url));

/**
 * The PromQL grammar, loaded on the first `~` only: aliased in the bundle to a lazy stand-in,
 * and built beside it as `promql-grammar.cjs` (see the stand-in).
 */
export const LAMBDA_LAZY_PROMQL_GRAMMAR = fileURLToPath(new URL('../lambda/domain/promql/lazy-promql-grammar.ts', import.meta.url));
const PROMQL_GRAMMAR_ENTRY = fileURLToPath(new URL('../lambda/domain/promql/promql-grammar-entry.ts', import.meta.url));

/**
 * Lets the ESM bundle load CommonJS dependencies that call `require` (some AWS SDK internals
 * do); without it they fail at run time with "Dynamic require of … is not supported".
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __mirrorCreateRequire } from 'node:module';" + 'const require = __mirrorCreateRequire(import.meta.url);';

export interface MirrorFunctionProps {
  /**
   * The handler file (exporting `handler`).
   * @default HANDLER_ENTRY (`lambda/handler.ts`)
   */
  readonly entry?: string;
  /**
   * Memory in MB (CPU grows with it).
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Must stay below API Gateway's 29 s so the function, not the gateway, answers a slow call.
   * @default Duration.seconds(FUNCTION_TIMEOUT_SECONDS) (25 s)
   */
  readonly timeout?: Duration;
  /**
   * Retention of the function's log group.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * What happens to the log group when the stack is deleted.
   * @default RemovalPolicy.RETAIN (logs outlive the function, for audits)
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Lambda reserved concurrency: at most this many run at once, and no other function takes them.
   * @default none (the account's unreserved pool)
   */
  readonly reservedConcurrentExecutions?: number;
  /** Extra environment, merged with the construct's own (`NODE_OPTIONS` values are joined, not replaced). */
  readonly environment?: Record<string, string>;
  /** The execution role; default: a new role with only write access to the function's own log group. */
  readonly role?: IRole;
  readonly description?: string;
}

/**
 * The mirror's Lambda with every default fixed in one place: Node.js 24 on arm64, a timeout
 * below API Gateway's, an explicit log group with retention, and a local esbuild bundle (ESM,
 * minified, AWS SDK bundled so its version is the one in package-lock.json). No source maps:
 * the function never logs a stack trace (only error names), and `--enable-source-maps` made
 * every cold start read and parse a 700 KB map (+8 ms of a ~58 ms import, `npm run bench -- cold`).
 * Never bundles in Docker: without a local esbuild it fails with a clear message.
 *
 * @example
 * const mirror = new MirrorFunction(this, 'Function', { environment: { MIRROR_TENANT: 'acme' } });
 */
export class MirrorFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  /** The execution role. */
  readonly role: IRole;

  constructor(scope: Construct, id: string, props: MirrorFunctionProps = {}) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.seconds(FUNCTION_TIMEOUT_SECONDS);
    if (timeout.toSeconds() >= API_GATEWAY_TIMEOUT_SECONDS) {
      throw new Error(`MirrorFunction timeout must be below API Gateway's ${API_GATEWAY_TIMEOUT_SECONDS} s, got ${timeout.toSeconds()} s`);
    }
    requireLocalEsbuild();

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    // Not the managed AWSLambdaBasicExecutionRole (logs:* on every log group): only this log group.
    this.role =
      props.role ??
      new Role(this, 'Role', {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        description: 'StackState mirror function: writes its own log group; the stack adds the rest',
      });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry ?? HANDLER_ENTRY,
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout,
      ...(props.reservedConcurrentExecutions === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      logGroup: this.logGroup,
      role: this.role,
      ...(props.description === undefined ? {} : { description: props.description }),
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      environment: mergeEnvironment(props.environment ?? {}),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: false,
        bundleAwsSDK: true,
        forceDockerBundling: false,
        esbuildArgs: {
          '--alias': [
            `@aws-sdk/credential-provider-node=${LAMBDA_CREDENTIAL_CHAIN}`,
            `node:http=${LAMBDA_NODE_HTTP}`,
            `@prometheus-io/lezer-promql=${LAMBDA_LAZY_PROMQL_GRAMMAR}`,
          ],
        },
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => [
            [
              `"${inputDir}/node_modules/.bin/esbuild"`,
              `"${PROMQL_GRAMMAR_ENTRY}"`,
              '--bundle --platform=node --target=node24 --format=cjs --minify --log-level=warning',
              `"--outfile=${outputDir}/promql-grammar.cjs"`,
            ].join(' '),
          ],
        },
      },
    });
  }
}

/**
 * Merges environments: later keys win, except `NODE_OPTIONS`, whose values are joined
 * (so one caller's `--max-old-space-size` does not drop another's flag).
 */
export function mergeEnvironment(...environments: Record<string, string>[]): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const environment of environments) {
    for (const [key, value] of Object.entries(environment)) {
      const previous = merged[key];
      merged[key] =
        key === 'NODE_OPTIONS' && previous !== undefined && !previous.split(' ').includes(value) ? `${previous} ${value}` : value;
    }
  }
  return merged;
}

function requireLocalEsbuild(): void {
  try {
    createRequire(import.meta.url).resolve('esbuild');
  } catch {
    throw new Error('esbuild is not installed in node_modules: run `npm ci`. The mirror is bundled locally, never in Docker.');
  }
}
