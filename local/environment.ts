import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type LambdaInvoker, type SfnRunner, type Simulator, startSimulator, type WorldDefinition } from '../sim';
import { setLogSink } from '../src/log';
import { ALIBABA_CREDENTIALS_SECRET, LOCAL_REGION, LOCAL_STAGE, OPERATOR_AWS, VPN_BRIDGE_ALIBABA } from './constants';
import { localPrincipals } from './roles';

// Points this process's handlers at a simulator, exactly the way a deployed Lambda is configured:
// through environment variables read by the SDKs and the client modules in functions/lib/clients.

export { ALIBABA_CREDENTIALS_SECRET, LOCAL_REGION, LOCAL_STAGE } from './constants';

export interface SimAccess {
  url: string;
  /** present when the simulator runs in this process */
  sim?: Simulator;
  /** simulated epoch ms now */
  simNow(): Promise<number>;
  /** simulated seconds per real second (undefined when a running simulator would not say) */
  timeScale?: number;
  admin<T>(method: string, path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export async function adminCall<T>(url: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`simulator ${method} ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** point this process at the simulator at `url`; `timeScale` puts the SDKs' retry backoff on its clock */
export function configureEnvironment(url: string, timeScale?: number): void {
  const host = url.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: OPERATOR_AWS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: OPERATOR_AWS.secretAccessKey,
    AWS_ENDPOINT_URL_EC2: url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
    AWS_ENDPOINT_URL_SFN: url,
    AWS_ENDPOINT_URL_LAMBDA: url,
    AWS_ENDPOINT_URL_CLOUDWATCH: url,
    // the Slack endpoint hands commands to the worker through Lambda's Invoke, as deployed
    CHATOPS_WORKER_FUNCTION: `vpn-bridge-${LOCAL_STAGE}-chatopsCommand`,
    ALIBABA_VPC_ENDPOINT: host,
    ALIBABA_VPC_PROTOCOL: 'http',
    ALIBABA_CREDENTIALS_SECRET,
    VPN_BRIDGE_STAGE: LOCAL_STAGE,
  });
  if (timeScale) process.env.VPN_BRIDGE_TIME_SCALE = String(timeScale);
  else delete process.env.VPN_BRIDGE_TIME_SCALE;
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
}

/**
 * What a deployment brings to the simulator: the vpn-bridge RAM user's AccessKey in Secrets Manager (where the
 * functions read it), and every function's role and the RAM user's policy as principals (local/roles.ts), with
 * enforcement on unless `iam: false` (then every call is allowed, as before IAM was modelled).
 */
export async function seedCredentials(url: string, opts: { iam?: boolean } = {}): Promise<void> {
  await adminCall(url, 'POST', '/_sim/iam/principals', localPrincipals());
  await adminCall(url, 'PUT', '/_sim/iam/enforcement', { enabled: opts.iam !== false });
  const sm = new SecretsManagerClient({
    endpoint: url,
    region: LOCAL_REGION,
    credentials: OPERATOR_AWS,
  });
  try {
    await sm.send(
      new CreateSecretCommand({
        Name: ALIBABA_CREDENTIALS_SECRET,
        SecretString: JSON.stringify(VPN_BRIDGE_ALIBABA),
      }),
    );
  } catch (e) {
    if ((e as { name?: string }).name !== 'ResourceExistsException') throw e;
  } finally {
    sm.destroy();
  }
}

/** a running simulator's time scale */
async function remoteTimeScale(url: string): Promise<number | undefined> {
  const c = await adminCall<{ timeScale?: number }>(url, 'GET', '/_sim/config').catch(() => ({ timeScale: undefined }));
  return typeof c.timeScale === 'number' ? c.timeScale : undefined;
}

/** start an in-process simulator (`url` undefined) or attach to a running one, and point the handlers at it */
export async function connectSimulator(opts: {
  url?: string;
  timeScale?: number;
  sfnRunner?: SfnRunner;
  /** runs functions for the simulator's Lambda service */
  lambdaInvoker?: LambdaInvoker;
  /** authorise every function's calls with its role (default); false: allow everything */
  iam?: boolean;
  /** an in-process simulator's world (default: the seeded one) */
  world?: WorldDefinition;
}): Promise<SimAccess> {
  let access: SimAccess;
  if (opts.url) {
    const url = opts.url.replace(/\/+$/, '');
    try {
      await adminCall(url, 'GET', '/_sim/health');
    } catch (e) {
      throw new Error(
        `no simulator answers at ${url} (${(e as Error).message}); start one with \`npx vpn-bridge sim\``,
      );
    }
    access = {
      url,
      simNow: async () => (await adminCall<{ simTime: number }>(url, 'GET', '/_sim/metrics')).simTime,
      admin: (m, p, b) => adminCall(url, m, p, b),
      stop: async () => undefined,
    };
  } else {
    const sim = await startSimulator({
      timeScale: opts.timeScale,
      sfnRunner: opts.sfnRunner,
      lambdaInvoker: opts.lambdaInvoker,
      world: opts.world,
    });
    access = {
      url: sim.url,
      sim,
      simNow: async () => sim.ctx.clock.now(),
      admin: (m, p, b) => adminCall(sim.url, m, p, b),
      stop: () => sim.stop(),
    };
  }
  access.timeScale = access.sim?.ctx.clock.timeScale ?? (await remoteTimeScale(access.url));
  configureEnvironment(access.url, access.timeScale);
  await seedCredentials(access.url, { iam: opts.iam });
  return access;
}

/** structured logs of in-process handlers go to a file (or a collector), not into the CLI's output */
export function logTo(target: string | string[] | undefined): void {
  if (target === undefined) {
    setLogSink(() => undefined);
    return;
  }
  if (Array.isArray(target)) {
    setLogSink((line) => target.push(line));
    return;
  }
  mkdirSync(dirname(target), { recursive: true });
  setLogSink((line) => appendFileSync(target, `${line}\n`));
}
