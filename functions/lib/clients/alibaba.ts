import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { VpcRpcClient } from '../../../src/clouds/alibaba/rpc-client';
import { VpcAdapter } from '../../../src/clouds/alibaba/vpc-adapter';
import type { AlibabaCloud } from '../../../src/clouds/types';
import { AccessDenied } from '../../../src/errors';
import { registerSecret } from '../../../src/log';
import { containerGeneration } from './container';
import { recordDeps } from './registry';

// The Alibaba VPC API, one adapter per region, all signing with one credential. Where it comes from
// (docs/permissions.md):
//   ALIBABA_CREDENTIALS_SECRET  secret (name or ARN) holding {"accessKeyId": ..., "accessKeySecret": ...} of the
//                               vpn-bridge RAM user
//   ALIBABA_ROLE_ARN            (optional) acs:ram::<account>:role/<name>: with it, that AccessKey only assumes the
//                               RAM role through STS (@alicloud/credentials refreshes the session before it expires)
//                               and every VPC call runs as the role
//   ALIBABA_STS_ENDPOINT        (optional) the STS host (default: the library's)
//   ALIBABA_VPC_ENDPOINT / ALIBABA_VPC_PROTOCOL  (optional) host[:port] and http|https of the VPC API, e.g. the simulator
// Without ALIBABA_CREDENTIALS_SECRET, @alicloud/credentials' default chain applies (environment variables, an OIDC
// role, ...). The AccessKey read from Secrets Manager is kept at most KEY_MAX_AGE_MS, so a rotated key is picked up
// by warm functions too.

const KEY_MAX_AGE_MS = 5 * 60_000;
const ROLE_SESSION_SECONDS = 3600;
const ENV = [
  'ALIBABA_CREDENTIALS_SECRET',
  'ALIBABA_ROLE_ARN',
  'ALIBABA_STS_ENDPOINT',
  'ALIBABA_VPC_ENDPOINT',
  'ALIBABA_VPC_PROTOCOL',
  'AWS_LAMBDA_FUNCTION_NAME',
] as const;

interface Built {
  key: string;
  at: number;
  credential: Promise<Credential>;
  adapters: Map<string, AlibabaCloud>;
}

let built: Built | undefined;

async function accessKey(secret: string): Promise<{ accessKeyId: string; accessKeySecret: string }> {
  const raw = await recordDeps().registry.readSecret(secret);
  let parsed: { accessKeyId?: unknown; accessKeySecret?: unknown } = {};
  try {
    parsed = JSON.parse(raw) as typeof parsed;
  } catch {
    // reported below without the value
  }
  if (typeof parsed.accessKeyId !== 'string' || typeof parsed.accessKeySecret !== 'string')
    throw new AccessDenied(`the secret ${secret} must hold {"accessKeyId": ..., "accessKeySecret": ...}`);
  registerSecret(parsed.accessKeySecret);
  return { accessKeyId: parsed.accessKeyId, accessKeySecret: parsed.accessKeySecret };
}

async function credential(): Promise<Credential> {
  const secret = process.env.ALIBABA_CREDENTIALS_SECRET;
  if (!secret) return new Credential();
  const key = await accessKey(secret);
  const roleArn = process.env.ALIBABA_ROLE_ARN;
  if (!roleArn) return new Credential(new CredentialConfig({ type: 'access_key', ...key }));
  return new Credential(
    new CredentialConfig({
      type: 'ram_role_arn',
      ...key,
      roleArn,
      roleSessionName: `vpn-bridge-${process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local'}`.slice(0, 64),
      roleSessionExpiration: ROLE_SESSION_SECONDS,
      stsEndpoint: process.env.ALIBABA_STS_ENDPOINT || undefined,
    }),
  );
}

function current(): Built {
  const key = JSON.stringify([containerGeneration(), ...ENV.map((v) => process.env[v] ?? '')]);
  const now = Date.now();
  if (!built || built.key !== key || now - built.at > KEY_MAX_AGE_MS) {
    const b: Built = { key, at: now, credential: credential(), adapters: new Map() };
    b.credential.catch(() => {
      if (built === b) built = undefined;
    });
    built = b;
  }
  return built;
}

/** the Alibaba VPC adapter of a region */
export async function alibabaCloud(region: string): Promise<AlibabaCloud> {
  const b = current();
  const cred = await b.credential;
  let a = b.adapters.get(region);
  if (!a) {
    a = new VpcAdapter(
      region,
      new VpcRpcClient(
        new $OpenApiUtil.Config({
          credential: cred,
          regionId: region,
          endpoint: process.env.ALIBABA_VPC_ENDPOINT || undefined,
          protocol: process.env.ALIBABA_VPC_PROTOCOL || 'https',
        }),
      ),
    );
    b.adapters.set(region, a);
  }
  return a;
}
