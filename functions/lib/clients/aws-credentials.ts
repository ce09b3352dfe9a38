import { AsyncLocalStorage } from 'node:async_hooks';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

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

/** the settings every AWS SDK client of a function starts from */
export function awsClientConfig(region: string): { region: string; credentials: AwsCredentialIdentityProvider } {
  return { region, credentials };
}

/** the region of the function itself (Secrets Manager, Step Functions, Lambda) */
export function homeRegion(): string {
  return process.env.AWS_REGION ?? 'us-east-1';
}
