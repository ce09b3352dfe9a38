import { join } from 'node:path';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { LOCAL_STAGE, OPERATOR_AWS } from './constants';
import { LOCAL_REGION } from './environment';
import { loadDefinition, PROJECT_ROOT } from './runner';
import { readServerlessYaml } from './serverless-yaml';

// The deployment's three state machines, created in the simulator's Step Functions service from the same
// statemachine/*.asl.json files, and announced to the handlers the way serverless.yml does (environment).

export const STATE_MACHINES = {
  provision: { file: 'provision.asl.json', env: 'PROVISION_STATE_MACHINE_ARN' },
  teardown: { file: 'teardown.asl.json', env: 'TEARDOWN_STATE_MACHINE_ARN' },
  drift: { file: 'drift-check.asl.json', env: 'DRIFT_STATE_MACHINE_ARN' },
  rotate: { file: 'rotate.asl.json', env: 'ROTATE_STATE_MACHINE_ARN' },
} as const;

/** the machine serverless.yml deploys from `file`, named as there for this stage: the functions' policies name the
 * machines, so the simulator authorises the same ARNs as AWS would */
export function machineName(file: string, stage = LOCAL_STAGE): string {
  const doc = readServerlessYaml(join(PROJECT_ROOT, 'serverless.yml')) as {
    stepFunctions?: { stateMachines?: Record<string, { name?: string; definition?: string }> };
  };
  const m = Object.values(doc.stepFunctions?.stateMachines ?? {}).find((x) => x.definition?.includes(`/${file})`));
  if (!m?.name) throw new Error(`serverless.yml deploys no named state machine from statemachine/${file}`);
  return m.name.replace(/\$\{sls:stage\}/g, stage);
}

export type MachineKey = keyof typeof STATE_MACHINES;

export async function ensureStateMachines(
  url: string,
  keys: MachineKey[] = ['provision', 'teardown', 'drift', 'rotate'],
): Promise<Record<string, string>> {
  const sfn = new SFNClient({
    endpoint: url,
    region: LOCAL_REGION,
    credentials: OPERATOR_AWS,
  });
  const arns: Record<string, string> = {};
  try {
    for (const key of keys) {
      const m = STATE_MACHINES[key];
      const r = await sfn.send(
        new CreateStateMachineCommand({
          name: machineName(m.file),
          definition: JSON.stringify(loadDefinition(m.file)),
          roleArn: 'arn:aws:iam::123456789012:role/vpn-bridge-local',
          type: 'STANDARD',
        }),
      );
      arns[key] = r.stateMachineArn ?? '';
      process.env[m.env] = arns[key];
    }
  } finally {
    sfn.destroy();
  }
  return arns;
}
