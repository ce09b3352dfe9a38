import type { AccessKey } from '../../../src/clouds/alibaba/acs3';
import { roleSession } from '../../../src/clouds/alibaba/ram-role';
import { RpcClient, vpcRpcClient } from '../../../src/clouds/alibaba/rpc-client';
import { VpcAdapter } from '../../../src/clouds/alibaba/vpc-adapter';
import type { AlibabaCloud } from '../../../src/clouds/types';
import { AccessDenied } from '../../../src/errors';
import { registerSecret } from '../../../src/log';
import { containerIdentity } from './container';
import { recordDeps } from './registry';

// The Alibaba VPC API, one adapter per region, all signing with one identity (docs/permissions.md):
//   ALIBABA_CREDENTIALS_SECRET  secret (name or ARN) holding {"accessKeyId": ..., "accessKeySecret": ...} of the
//                               vpn-bridge RAM user; without it, ALIBABA_CLOUD_ACCESS_KEY_ID /
//                               ALIBABA_CLOUD_ACCESS_KEY_SECRET (/ ALIBABA_CLOUD_SECURITY_TOKEN) from the environment,
//                               the variables Alibaba Cloud's own tools read
//   ALIBABA_ROLE_ARN            (optional) acs:ram::<account>:role/<name>: that AccessKey then only assumes the RAM
//                               role through STS, and every VPC call runs as the role (src/clouds/alibaba/ram-role.ts)
//   ALIBABA_STS_ENDPOINT / ALIBABA_STS_PROTOCOL  (optional) STS host[:port] (default sts.aliyuncs.com) and http|https
//   ALIBABA_VPC_ENDPOINT / ALIBABA_VPC_PROTOCOL  (optional) VPC API host[:port] and http|https, e.g. the simulator
// The AccessKey read from Secrets Manager is kept at most KEY_MAX_AGE_MS, so warm functions pick up a rotated key.

const KEY_MAX_AGE_MS = 5 * 60_000;
const ROLE_SESSION_SECONDS = 3600;
const ENV = [
  'ALIBABA_CREDENTIALS_SECRET',
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_ROLE_ARN',
  'ALIBABA_STS_ENDPOINT',
  'ALIBABA_STS_PROTOCOL',
  'ALIBABA_VPC_ENDPOINT',
  'ALIBABA_VPC_PROTOCOL',
] as const;

const protocolOf = (v: string | undefined): 'http' | 'https' => (v === 'http' ? 'http' : 'https');

async function fromSecret(secret: string): Promise<AccessKey> {
  const raw = await recordDeps().registry.readSecret(secret);
  let parsed: { accessKeyId?: unknown; accessKeySecret?: unknown } = {};
  try {
    parsed = JSON.parse(raw) as typeof parsed;
  } catch {
    // reported below, without the value
  }
  if (typeof parsed.accessKeyId !== 'string' || typeof parsed.accessKeySecret !== 'string')
    throw new AccessDenied(`the secret ${secret} must hold {"accessKeyId": ..., "accessKeySecret": ...}`);
  registerSecret(parsed.accessKeySecret);
  return { accessKeyId: parsed.accessKeyId, accessKeySecret: parsed.accessKeySecret };
}

function fromEnvironment(): AccessKey {
  const e = process.env;
  if (!e.ALIBABA_CLOUD_ACCESS_KEY_ID || !e.ALIBABA_CLOUD_ACCESS_KEY_SECRET)
    throw new AccessDenied(
      'no Alibaba Cloud credentials: set ALIBABA_CREDENTIALS_SECRET (deployed) or ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    );
  registerSecret(e.ALIBABA_CLOUD_ACCESS_KEY_SECRET);
  registerSecret(e.ALIBABA_CLOUD_SECURITY_TOKEN);
  return {
    accessKeyId: e.ALIBABA_CLOUD_ACCESS_KEY_ID,
    accessKeySecret: e.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
    securityToken: e.ALIBABA_CLOUD_SECURITY_TOKEN || undefined,
  };
}

/** the identity every VPC call signs with: the AccessKey, or the RAM role's session it opens */
function identity(): () => Promise<AccessKey> {
  const secret = process.env.ALIBABA_CREDENTIALS_SECRET;
  const accessKey = secret ? fromSecret(secret) : Promise.resolve().then(fromEnvironment);
  const roleArn = process.env.ALIBABA_ROLE_ARN;
  if (!roleArn) return () => accessKey;
  return roleSession({
    sts: new RpcClient({
      version: '2015-04-01',
      defaultEndpoint: 'sts.aliyuncs.com',
      regionId: '',
      endpoint: process.env.ALIBABA_STS_ENDPOINT || undefined,
      protocol: protocolOf(process.env.ALIBABA_STS_PROTOCOL),
      credentials: () => accessKey,
    }),
    roleArn,
    sessionName: (process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'vpn-bridge').slice(0, 64),
    durationSeconds: ROLE_SESSION_SECONDS,
  });
}

interface Built {
  key: string;
  at: number;
  credentials: () => Promise<AccessKey>;
  adapters: Map<string, AlibabaCloud>;
}

const built = new Map<string, Built>();

function current(): Built {
  const container = containerIdentity();
  const key = JSON.stringify(ENV.map((v) => process.env[v] ?? ''));
  const now = Date.now();
  const have = built.get(container);
  if (have && have.key === key && now - have.at <= KEY_MAX_AGE_MS) return have;
  const read = identity();
  const b: Built = {
    key,
    at: now,
    // a failed read is not kept: the next call reads again
    credentials: async () => {
      try {
        return await read();
      } catch (e) {
        if (built.get(container) === b) built.delete(container);
        throw e;
      }
    },
    adapters: new Map(),
  };
  built.set(container, b);
  return b;
}

/** the Alibaba VPC adapter of a region */
export async function alibabaCloud(region: string): Promise<AlibabaCloud> {
  const b = current();
  let a = b.adapters.get(region);
  if (!a) {
    a = new VpcAdapter(
      region,
      vpcRpcClient({
        regionId: region,
        credentials: b.credentials,
        endpoint: process.env.ALIBABA_VPC_ENDPOINT || undefined,
        protocol: protocolOf(process.env.ALIBABA_VPC_PROTOCOL),
      }),
    );
    b.adapters.set(region, a);
  }
  return a;
}
