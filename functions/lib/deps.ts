import { randomBytes } from 'node:crypto';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { EC2Client } from '@aws-sdk/client-ec2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { VpcRpcClient } from '../../src/clouds/alibaba/rpc-client';
import { VpcAdapter } from '../../src/clouds/alibaba/vpc-adapter';
import { Ec2Adapter } from '../../src/clouds/aws/ec2-adapter';
import { SfnExecutions } from '../../src/clouds/aws/sfn-adapter';
import type { AlibabaCloud, AwsCloud } from '../../src/clouds/types';
import { AccessDenied } from '../../src/errors';
import { registerSecret } from '../../src/log';
import { SecretsRegistry } from '../../src/registry/secrets-registry';
import { ConnectionService, machinesFromEnv } from '../../src/service/connections';
import type { Executions } from '../../src/service/executions';
import type { Deps } from '../../src/workflow/deps';

// SDK clients are created once per process (module scope, lazily) and injected into the adapters.
// Configuration comes from the environment, as a deployed Lambda gets it:
//   AWS_REGION                          the region of the registry (Secrets Manager) and Step Functions
//   AWS_ENDPOINT_URL_EC2 / _SECRETS_MANAGER / _SFN / _LAMBDA  (optional) endpoints, e.g. the simulator; read by the SDK
//   PROVISION_ / TEARDOWN_ / DRIFT_STATE_MACHINE_ARN   the state machines the API, chat and notifier start/read
//   ALIBABA_CREDENTIALS_SECRET      secret (name or ARN) holding {"accessKeyId": "...", "accessKeySecret": "..."}
//   ALIBABA_VPC_ENDPOINT                (optional) host[:port] of the Alibaba VPC API, e.g. the simulator
//   ALIBABA_VPC_PROTOCOL                (optional) https (default) or http
// Everything is keyed by the environment it was built from, so an in-process run that points the
// variables at another simulator gets fresh clients.

interface Built {
  key: string;
  deps: Deps;
  sm: SecretsManagerClient;
  sfn: SFNClient;
  executions: Executions;
  lambda?: LambdaClient;
}

let built: Built | undefined;

function envKey(): string {
  const e = process.env;
  return [
    e.AWS_REGION,
    e.AWS_ENDPOINT_URL,
    e.AWS_ENDPOINT_URL_EC2,
    e.AWS_ENDPOINT_URL_SECRETS_MANAGER,
    e.AWS_ENDPOINT_URL_SFN,
    e.AWS_ENDPOINT_URL_LAMBDA,
    e.ALIBABA_CREDENTIALS_SECRET,
    e.ALIBABA_VPC_ENDPOINT,
    e.ALIBABA_VPC_PROTOCOL,
  ].join('|');
}

function build(): Built {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const sm = new SecretsManagerClient({ region });
  const sfn = new SFNClient({ region });
  const registry = new SecretsRegistry(sm);
  const ec2 = new Map<string, AwsCloud>();
  const ali = new Map<string, Promise<AlibabaCloud>>();
  let aliCreds: Promise<{ accessKeyId: string; accessKeySecret: string }> | undefined;

  const credentials = async () => {
    const arn = process.env.ALIBABA_CREDENTIALS_SECRET;
    if (!arn) throw new AccessDenied('ALIBABA_CREDENTIALS_SECRET is not set: vpn-bridge cannot call Alibaba Cloud');
    const raw = JSON.parse(await registry.readSecret(arn)) as { accessKeyId?: string; accessKeySecret?: string };
    if (!raw.accessKeyId || !raw.accessKeySecret)
      throw new AccessDenied(`the secret ${arn} must hold {"accessKeyId": ..., "accessKeySecret": ...}`);
    registerSecret(raw.accessKeySecret);
    return { accessKeyId: raw.accessKeyId, accessKeySecret: raw.accessKeySecret };
  };

  const deps: Deps = {
    registry,
    aws(r: string) {
      let a = ec2.get(r);
      if (!a) {
        // reads and idempotent calls: the SDK retries transport blips; non-idempotent creates: one attempt
        a = new Ec2Adapter(r, new EC2Client({ region: r }), new EC2Client({ region: r, maxAttempts: 1 }));
        ec2.set(r, a);
      }
      return a;
    },
    alibaba(r: string) {
      let a = ali.get(r);
      if (!a) {
        aliCreds ??= credentials();
        const creds = aliCreds;
        a = creds.then(
          (c) =>
            new VpcAdapter(
              r,
              new VpcRpcClient(
                new $OpenApiUtil.Config({
                  ...c,
                  regionId: r,
                  endpoint: process.env.ALIBABA_VPC_ENDPOINT || undefined,
                  protocol: process.env.ALIBABA_VPC_PROTOCOL || 'https',
                }),
              ),
            ),
        );
        a.catch(() => {
          ali.delete(r);
          aliCreds = undefined;
        });
        ali.set(r, a);
      }
      return a;
    },
    now: () => new Date(),
    randomBytes: (n) => randomBytes(n),
  };
  return { key: envKey(), deps, sm, sfn, executions: new SfnExecutions(sfn) };
}

function current(): Built {
  if (!built || built.key !== envKey()) built = build();
  return built;
}

export const getDeps = (): Deps => current().deps;
export const getSfn = (): SFNClient => current().sfn;
export const getSecretsManager = (): SecretsManagerClient => current().sm;
/** Step Functions executions (start / describe / list running) through the SDK adapter */
export const getExecutions = (): Executions => current().executions;
/** Lambda client (ChatOps: async self-invocation of the command worker); created on first use */
export const getLambda = (): LambdaClient => {
  const b = current();
  b.lambda ??= new LambdaClient({ region: process.env.AWS_REGION ?? 'us-east-1' });
  return b.lambda;
};
/** the connection operations shared by the HTTP API, ChatOps and the CLI, wired to this environment */
export const getConnectionService = (): ConnectionService =>
  new ConnectionService({ deps: getDeps(), executions: getExecutions(), machines: machinesFromEnv() });
