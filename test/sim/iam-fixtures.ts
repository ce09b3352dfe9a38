import { $OpenApiUtil } from '@alicloud/openapi-core';
import VpcClient from '@alicloud/vpc20160428';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { AuthLogEntry, Simulator } from '../../sim';

// IAM test set-up: real SDK clients signed with a chosen access key, principals registered through the
// admin API, and the authorization log read back through it.

export const ACCOUNT = '123456789012';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/vpn-bridge-test-role`;

export type Doc = Record<string, unknown>;

export function policy(...statements: Doc[]): Doc {
  return { Version: '2012-10-17', Statement: statements };
}

export function ramPolicy(...statements: Doc[]): Doc {
  return { Version: '1', Statement: statements };
}

export async function admin<T = unknown>(sim: Simulator, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`admin ${method} ${path} -> ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** register an AWS principal for `accessKeyId` with one policy per document */
export async function awsPrincipal(sim: Simulator, accessKeyId: string, ...documents: Doc[]): Promise<void> {
  await admin(sim, 'POST', '/_sim/iam/principals', {
    cloud: 'aws',
    accessKeyId,
    arn: ROLE_ARN,
    sessionName: 'test-session',
    policies: documents.map((document, i) => ({ name: `p${i + 1}`, document })),
  });
}

export async function alibabaPrincipal(sim: Simulator, accessKeyId: string, ...documents: Doc[]): Promise<void> {
  await admin(sim, 'POST', '/_sim/iam/principals', {
    cloud: 'alibaba',
    accessKeyId,
    policies: documents.map((document, i) => ({ name: `p${i + 1}`, document })),
  });
}

export async function authLog(sim: Simulator): Promise<AuthLogEntry[]> {
  return (await admin<{ entries: AuthLogEntry[] }>(sim, 'GET', '/_sim/iam/log')).entries;
}

const creds = (accessKeyId: string) => ({ accessKeyId, secretAccessKey: 'any-secret' });

export function ec2As(sim: Simulator, accessKeyId: string, region = 'us-east-1'): EC2Client {
  return new EC2Client({ endpoint: sim.url, region, credentials: creds(accessKeyId), maxAttempts: 1 });
}

export function secretsAs(sim: Simulator, accessKeyId: string, region = 'us-east-1'): SecretsManagerClient {
  return new SecretsManagerClient({ endpoint: sim.url, region, credentials: creds(accessKeyId), maxAttempts: 1 });
}

export function sfnAs(sim: Simulator, accessKeyId: string, region = 'us-east-1'): SFNClient {
  return new SFNClient({ endpoint: sim.url, region, credentials: creds(accessKeyId), maxAttempts: 1 });
}

export function vpcAs(
  sim: Simulator,
  accessKeyId: string,
  regionId = 'eu-central-1',
  extra: Partial<$OpenApiUtil.Config> = {},
): VpcClient {
  return new VpcClient(
    new $OpenApiUtil.Config({
      accessKeyId,
      accessKeySecret: 'any-secret',
      regionId,
      endpoint: sim.url.replace(/^http:\/\//, ''),
      protocol: 'http',
      ...extra,
    }),
  );
}

export interface AwsFailure {
  name: string;
  status: number | undefined;
  message: string;
}

export async function awsFailure(call: Promise<unknown>): Promise<AwsFailure> {
  try {
    await call;
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    const meta = (e as { $metadata?: { httpStatusCode?: number } }).$metadata;
    return { name: e.name, status: meta?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the call to be denied, but it succeeded');
}
