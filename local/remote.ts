import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentialIdentity } from '@smithy/types';
import { signRequest } from './sigv4';

// The CLI against a deployed vpn-bridge: the stack is found through its CloudFormation outputs (HttpApiUrl, which
// Serverless Framework adds for an HTTP API), and every call to its HTTP API is signed with SigV4 from the standard
// AWS credential chain (environment, shared config and SSO, container and instance roles) by the SDK's signer.
// `--api URL` (or VPN_BRIDGE_API_URL) names the API directly: a `vpn-bridge serve`, or a stack found another way.

export interface RemoteTarget {
  stack?: string;
  stage?: string;
  region?: string;
  api?: string;
}

export class RemoteError extends Error {
  constructor(
    message: string,
    readonly status = 0,
    readonly code = 'RemoteError',
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

export const regionOf = (t: RemoteTarget): string =>
  t.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
/** serverless.yml's service name and the Framework's stack naming: <service>-<stage> */
export const stackNameOf = (t: RemoteTarget): string => t.stack ?? `vpn-bridge-${t.stage ?? 'dev'}`;
export const API_OUTPUT = 'HttpApiUrl';

/** the deployed HTTP API's URL, from the stack's outputs */
export async function findApiUrl(t: RemoteTarget): Promise<string> {
  const direct = t.api ?? process.env.VPN_BRIDGE_API_URL;
  if (direct) return direct.replace(/\/+$/, '');
  const stack = stackNameOf(t);
  const region = regionOf(t);
  const cfn = new CloudFormationClient({ region });
  try {
    const r = await cfn.send(new DescribeStacksCommand({ StackName: stack }));
    const out = r.Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === API_OUTPUT)?.OutputValue;
    if (!out) throw new RemoteError(`stack ${stack} (${region}) has no ${API_OUTPUT} output: is it vpn-bridge's?`);
    return out.replace(/\/+$/, '');
  } catch (e) {
    if (e instanceof RemoteError) throw e;
    const err = e as { name?: string; message?: string };
    if (err.name === 'ValidationError')
      throw new RemoteError(
        `no stack ${stack} in ${region}: deploy it (npx serverless deploy --stage <stage> --region ${region}), or name it with --stack/--stage/--region, or pass --api URL`,
      );
    throw new RemoteError(
      `cannot read stack ${stack} in ${region} (${err.name ?? 'Error'}: ${err.message ?? ''}); for the simulator use --local or --sim URL, for a \`vpn-bridge serve\` --api URL`,
    );
  } finally {
    cfn.destroy();
  }
}

export interface RemoteResponse<T> {
  status: number;
  body: T;
}

/** a SigV4-signed client of vpn-bridge's HTTP API */
export class RemoteApi {
  private readonly credentials: () => Promise<AwsCredentialIdentity>;

  constructor(
    readonly baseUrl: string,
    readonly region: string,
    credentials?: () => Promise<AwsCredentialIdentity>,
  ) {
    this.credentials = credentials ?? defaultProvider();
  }

  static async connect(t: RemoteTarget): Promise<RemoteApi> {
    return new RemoteApi(await findApiUrl(t), regionOf(t));
  }

  /** a call; a 4xx/5xx answer is a RemoteError with the API's code and message, unless `accept` lists it */
  async call<T>(method: string, path: string, json?: unknown, accept: number[] = []): Promise<RemoteResponse<T>> {
    const url = new URL(`${this.baseUrl}${path}`);
    const body = json === undefined ? undefined : JSON.stringify(json);
    let credentials: AwsCredentialIdentity;
    try {
      credentials = await this.credentials();
    } catch (e) {
      throw new RemoteError(`no AWS credentials to sign with: ${(e as Error).message}`);
    }
    const headers = await signRequest(
      { method, url, headers: body ? { 'content-type': 'application/json' } : {}, body },
      credentials,
      this.region,
    );
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body });
    } catch (e) {
      throw new RemoteError(`${url.origin} does not answer: ${(e as Error).message}`);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = { message: text };
    }
    if (res.status >= 400 && !accept.includes(res.status)) {
      const b = parsed as { error?: { code?: string; message?: string }; message?: string } | undefined;
      const message = b?.error?.message ?? b?.message ?? `HTTP ${res.status}`;
      throw new RemoteError(
        `${method} ${path}: ${res.status} ${message}`,
        res.status,
        b?.error?.code ?? `Http${res.status}`,
      );
    }
    return { status: res.status, body: parsed as T };
  }
}
