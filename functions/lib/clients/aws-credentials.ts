import { AsyncLocalStorage } from 'node:async_hooks';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RetryStrategyV2 } from '@smithy/types';

// Whose credentials an AWS SDK call signs with. In Lambda every function is its own process, and the SDK's
// default chain finds that function's role credentials in the environment. A host that runs several functions in
// one process (the local runner and `serve`) runs each invocation inside `invocationRole.run(credentials, ...)`,
// so each function's calls carry its own role's credentials, as they would in AWS. The provider is consulted on
// every request (it is marked memoized so the SDK does not cache one answer for the client's lifetime).

export const invocationRole = new AsyncLocalStorage<AwsCredentialIdentity>();

let chain: AwsCredentialIdentityProvider | undefined;

const credentials: AwsCredentialIdentityProvider & { memoized: boolean } = Object.assign(
  async (options?: Parameters<AwsCredentialIdentityProvider>[0]) => {
    const hosted = invocationRole.getStore();
    if (hosted) return hosted;
    chain ??= defaultProvider();
    return chain(options);
  },
  { memoized: true },
);

/**
 * The SDK's own backoff (exponential with full jitter, at most 20 s; here always from the throttling base of 500 ms)
 * on the simulator's clock: VPN_BRIDGE_TIME_SCALE is set only by the local wiring, to the simulator's time scale, so
 * a retried call waits as long in simulated time as it would in AWS. Unset (in Lambda), the SDK's default applies.
 */
function simulatedClockRetries(maxAttempts: number): ConfiguredRetryStrategy | undefined {
  if (!Number(process.env.VPN_BRIDGE_TIME_SCALE)) return undefined;
  return new ConfiguredRetryStrategy(maxAttempts, (attempt) => {
    const scale = Math.max(1, Number(process.env.VPN_BRIDGE_TIME_SCALE) || 1);
    return Math.floor((Math.random() * Math.min(500 * 2 ** attempt, 20_000)) / scale);
  });
}

/** the settings every AWS SDK client of a function starts from (`maxAttempts`: the SDK's 3 unless given) */
export function awsClientConfig(
  region: string,
  opts: { maxAttempts?: number } = {},
): {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  maxAttempts?: number;
  retryStrategy?: RetryStrategyV2;
} {
  const retryStrategy = simulatedClockRetries(opts.maxAttempts ?? 3);
  return { region, credentials, ...opts, ...(retryStrategy ? { retryStrategy } : {}) };
}

/** the region of the function itself (Secrets Manager, Step Functions, Lambda) */
export function homeRegion(): string {
  return process.env.AWS_REGION ?? 'us-east-1';
}
