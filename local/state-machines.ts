import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { LOCAL_REGION } from './environment';
import { loadDefinition } from './runner';

// The deployment's three state machines, created in the simulator's Step Functions service from the same
// statemachine/*.asl.json files, and announced to the handlers the way serverless.yml does (environment).

export const STATE_MACHINES = {
  provision: { file: 'provision.asl.json', env: 'PROVISION_STATE_MACHINE_ARN' },
  teardown: { file: 'teardown.asl.json', env: 'TEARDOWN_STATE_MACHINE_ARN' },
  drift: { file: 'drift-check.asl.json', env: 'DRIFT_STATE_MACHINE_ARN' },
} as const;

export type MachineKey = keyof typeof STATE_MACHINES;

export async function ensureStateMachines(
  url: string,
  keys: MachineKey[] = ['provision', 'teardown', 'drift'],
): Promise<Record<string, string>> {
  const sfn = new SFNClient({
    endpoint: url,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'AKIDLOCALSIMULATOR', secretAccessKey: 'local-simulator-secret' },
  });
  const arns: Record<string, string> = {};
  try {
    for (const key of keys) {
      const m = STATE_MACHINES[key];
      const r = await sfn.send(
        new CreateStateMachineCommand({
          name: `vpn-bridge-${key}-local`,
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
