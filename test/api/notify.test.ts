import { CreateStateMachineCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { handler as createConnection } from '../../functions/api/create-connection';
import { setMessageSender } from '../../functions/chatops/plugs';
import { handler as notify } from '../../functions/notify/execution-status';
import { awaitExecution } from '../../sim/aws/step-functions';
import { statusChangeEvent } from '../../src/chatops/notify';
import type { SlackMessage } from '../../src/chatops/slack';
import type { Submission } from '../../src/service/connections';
import { allPsks, leaks } from '../helpers/workflow';
import { apiEvent, articleSpec, freshWorld, parse, useApiWorld } from './world';

// The notifier as the deployment runs it (EventBridge status change -> DescribeExecution -> Slack webhook),
// called the way `serve --local` calls it: from the local runner's "execution finished" hook, before the
// simulator has closed the execution.

const sent: SlackMessage[] = [];
const notified: Array<Promise<unknown>> = [];
const world = useApiWorld({
  onFinished: (_w, executionArn, r) => {
    notified.push(notify(statusChangeEvent(executionArn, r)));
  },
});
const saved = { ...process.env };
const NAME = 'notify-one';

beforeAll(async () => {
  setMessageSender({ send: async (m) => void sent.push(m) });
  await freshWorld(world());
});

afterAll(() => {
  setMessageSender(undefined);
  process.env = saved;
});

async function delivered(): Promise<void> {
  await Promise.all(notified);
}

async function submit(spec: unknown): Promise<string> {
  const r = parse<Submission>(
    await createConnection(apiEvent({ method: 'POST', route: '/connections', path: '/connections', json: spec })),
  );
  if (r.status !== 202) throw new Error(`POST answered ${r.status}: ${r.text}`);
  return r.body.executionArn;
}

/** a stand-in drift-check machine (Pass / Fail states only) with a known outcome */
async function stubMachine(name: string, state: Record<string, unknown>): Promise<string> {
  const w = world();
  const r = await w.sfn.send(
    new CreateStateMachineCommand({
      name,
      definition: JSON.stringify({ StartAt: 'Outcome', States: { Outcome: state } }),
      roleArn: 'arn:aws:iam::123456789012:role/test',
      type: 'STANDARD',
    }),
  );
  return r.stateMachineArn ?? '';
}

async function run(machine: string, input: unknown): Promise<string> {
  const w = world();
  const r = await w.sfn.send(new StartExecutionCommand({ stateMachineArn: machine, input: JSON.stringify(input) }));
  const arn = r.executionArn ?? '';
  await awaitExecution(w.sim.ctx, arn);
  return arn;
}

describe('execution notifications', () => {
  it('posts a succeeded provisioning with the connection status', async () => {
    // Prepare
    const w = world();
    const arn = await submit(await articleSpec(w, NAME));
    const before = sent.length;

    // Act
    await awaitExecution(w.sim.ctx, arn);
    await delivered();

    // Assert
    const mine = sent.slice(before).filter((m) => m.text.includes(`*${NAME}*`));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.text).toContain(`vpn-bridge provision of *${NAME}*: SUCCEEDED`);
    expect(mine[0]?.text).toContain('connection status: ACTIVE (dual-tunnel)');
  });

  it('posts a failed provisioning with its error and cause', async () => {
    // Prepare: the API refuses this spec before accepting it (400), so the execution is started directly, as an
    // operator might from the console; the workflow's own preflight fails it
    const w = world();
    const spec = await articleSpec(w, 'notify-bad');
    const bad = { spec: { ...spec, aws: { ...spec.aws, vpcId: 'vpc-0000000000000000f' } } };

    // Act
    await run(w.machines.provision ?? '', bad);
    await delivered();

    // Assert
    const mine = sent.filter((m) => m.text.includes('*notify-bad*'));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.text).toContain('provision of *notify-bad*: FAILED');
    expect(mine[0]?.text).toMatch(/PreflightFailed: .*vpc-0000000000000000f/);
  });

  it('posts a drift check result with its findings', async () => {
    // Prepare
    const machine = await stubMachine('drift-stub-ok', {
      Type: 'Pass',
      Result: {
        at: '2026-01-01T00:00:00Z',
        summary: {
          connections: 1,
          clean: 0,
          drifted: 1,
          skipped: 0,
          errors: 0,
          rows: 1,
          repairable: 1,
          unmanaged: 0,
          repaired: 0,
        },
        results: [
          {
            name: NAME,
            status: 'drifted',
            rowCount: 1,
            repairable: 1,
            changed: true,
            rows: [
              {
                connection: NAME,
                cloud: 'alibaba',
                resource: 'vtb-1',
                attribute: 'route 172.80.64.0/19',
                expected: 'vpn gateway',
                actual: '(none)',
                kind: 'MISSING',
                severity: 'high',
                repairable: true,
              },
            ],
          },
        ],
        unmanaged: [],
        truncated: false,
        written: 1,
        repairErrors: {},
      },
      End: true,
    });
    process.env.DRIFT_STATE_MACHINE_ARN = machine;
    const before = sent.length;

    // Act
    await run(machine, { names: [NAME], repair: false });
    await delivered();

    // Assert
    const mine = sent.slice(before);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.text).toContain(`drift of *${NAME}*: SUCCEEDED`);
    expect(mine[0]?.text).toContain('1 checked: 0 clean, 1 drifted');
    expect(mine[0]?.text).toContain(
      'high MISSING alibaba vtb-1 route 172.80.64.0/19: expected vpn gateway, actual (none)',
    );
  });

  it('posts a failed drift check with its cause, masking a pre-shared key that slipped into it', async () => {
    // Prepare
    const w = world();
    const psks = allPsks(w.sim);
    const machine = await stubMachine('drift-stub-fail', {
      Type: 'Fail',
      Error: 'ProviderUnavailable',
      Cause: `Alibaba answered 503 while comparing key ${psks[0] ?? ''}`,
    });
    const before = sent.length;

    // Act
    await run(machine, { names: [NAME], repair: true });
    await delivered();

    // Assert
    const mine = sent.slice(before);
    expect(psks.length).toBeGreaterThanOrEqual(2);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.text).toContain(`drift of *${NAME}*: FAILED`);
    expect(mine[0]?.text).toContain('ProviderUnavailable: Alibaba answered 503 while comparing key [REDACTED]');
  });

  it('posts a scheduled drift check only when something changed (a tunnel went down), with its metrics either way', async () => {
    // Prepare: the schedule's input ({repair: false}, no names); one run changes nothing, the next finds a tunnel DOWN
    const w = world();
    const summary = (drifted: number) => ({
      connections: 1,
      clean: 1 - drifted,
      drifted,
      skipped: 0,
      errors: 0,
      rows: drifted,
      repairable: 0,
      unmanaged: 0,
      repaired: 0,
    });
    const down = {
      connection: NAME,
      cloud: 'aws',
      resource: 'vpn-1/1',
      attribute: 'tunnel',
      expected: 'UP',
      actual: 'DOWN',
      kind: 'DOWN',
      severity: 'high',
      repairable: false,
    };
    const steady = await stubMachine('drift-stub-steady', {
      Type: 'Pass',
      Result: { at: '2026-01-01T00:00:00Z', summary: summary(0), results: [], unmanaged: [], repairErrors: {} },
      End: true,
    });
    const changed = await stubMachine('drift-stub-down', {
      Type: 'Pass',
      Result: {
        at: '2026-01-01T00:30:00Z',
        summary: summary(1),
        results: [{ name: NAME, status: 'drifted', rowCount: 1, repairable: 0, changed: true, rows: [down] }],
        unmanaged: [],
        repairErrors: {},
      },
      End: true,
    });
    const before = sent.length;
    const logsBefore = w.logs.length;

    // Act
    process.env.DRIFT_STATE_MACHINE_ARN = steady;
    await run(steady, { repair: false });
    await delivered();
    const afterSteady = sent.length;
    process.env.DRIFT_STATE_MACHINE_ARN = changed;
    await run(changed, { repair: false });
    await delivered();

    // Assert: nothing for the steady run, one Block Kit message for the change
    expect(afterSteady).toBe(before);
    const mine = sent.slice(before);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.text).toContain('drift of *every managed connection*: SUCCEEDED');
    expect(mine[0]?.text).toContain(`${NAME}: drifted (1 finding)`);
    expect(mine[0]?.blocks?.[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: expect.stringContaining('drift of *every managed connection*') },
    });
    // Assert: both runs published their metrics (EMF), the steady one with no tunnel down, the other with one
    const emf = w.logs
      .slice(logsBefore)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((d) => d._aws !== undefined && d.TunnelsDown !== undefined);
    expect(emf.map((d) => [d.DriftFindings, d.TunnelsDown])).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });

  it('never put a pre-shared key in any notification or log line', () => {
    // Prepare
    const w = world();
    const psks = allPsks(w.sim);

    // Assert
    expect(sent.length).toBeGreaterThanOrEqual(4);
    expect(leaks(psks, JSON.stringify(sent))).toEqual([]);
    expect(leaks(psks, w.logs.join('\n'))).toEqual([]);
  });
});
