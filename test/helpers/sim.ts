import { $OpenApiUtil } from '@alicloud/openapi-core';
import VpcClient from '@alicloud/vpc20160428';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../sim';

// Real SDK clients pointed at an in-process simulator, for tests that exercise the wire format.

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' };

export interface SimClients {
  sim: Simulator;
  ec2: (region?: string, opts?: { maxAttempts?: number }) => EC2Client;
  secrets: (region?: string, opts?: { maxAttempts?: number }) => SecretsManagerClient;
  sfn: (region?: string) => SFNClient;
  alibaba: (regionId?: string) => VpcClient;
  admin: <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;
}

export function clientsFor(sim: Simulator): SimClients {
  return {
    sim,
    ec2: (region = 'us-east-1', opts = {}) =>
      new EC2Client({ endpoint: sim.url, region, credentials: TEST_CREDENTIALS, maxAttempts: opts.maxAttempts ?? 1 }),
    secrets: (region = 'us-east-1', opts = {}) =>
      new SecretsManagerClient({
        endpoint: sim.url,
        region,
        credentials: TEST_CREDENTIALS,
        maxAttempts: opts.maxAttempts ?? 1,
      }),
    sfn: (region = 'us-east-1') =>
      new SFNClient({ endpoint: sim.url, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 }),
    alibaba: (regionId = 'eu-central-1') =>
      new VpcClient(
        new $OpenApiUtil.Config({
          accessKeyId: 'LTAItest',
          accessKeySecret: 'test-secret',
          regionId,
          endpoint: sim.url.replace(/^http:\/\//, ''),
          protocol: 'http',
        }),
      ),
    admin: async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${sim.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`admin ${method} ${path} -> ${res.status}: ${text}`);
      return JSON.parse(text) as T;
    },
  };
}

/** Start a simulator for one test file (beforeAll) and stop it afterwards (afterAll). */
export function useSimulator(opts: SimulatorOptions = {}): () => SimClients {
  let clients: SimClients | undefined;
  beforeAll(async () => {
    const sim = await startSimulator({ timeScale: 1000, ...opts });
    clients = clientsFor(sim);
  });
  afterAll(async () => {
    await clients?.sim.stop();
  });
  return () => {
    if (!clients) throw new Error('simulator not started (use inside a test)');
    return clients;
  };
}
