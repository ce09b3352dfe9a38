import { OperationInProgress, RecordMissing, SpecInvalid } from '../../src/errors';
import { setLogSink } from '../../src/log';
import type { ConnectionRecord } from '../../src/registry/record';
import { newRecord } from '../../src/registry/record';
import type { Decision, Registry, StoredRecord } from '../../src/registry/secrets-registry';
import { ConnectionService, isExecutionOf, machinesFromEnv } from '../../src/service/connections';
import type { ExecutionDetail, ExecutionStatus, Executions, StartOutcome } from '../../src/service/executions';
import { executionArnFor } from '../../src/service/executions';
import { type ConnectionSpec, parseSpec } from '../../src/spec';
import type { Deps } from '../../src/workflow/deps';

beforeAll(() => setLogSink(() => undefined));
afterAll(() => setLogSink(undefined));

// The connection service's execution-slot logic against an in-memory Step Functions with the service's
// documented StartExecution semantics (docs/sources.md#aws-aws): same name + same input while RUNNING = the same
// execution; any other reuse of a name = ExecutionAlreadyExists.

const MACHINES = {
  provision: 'arn:aws:states:us-east-1:123456789012:stateMachine:prov',
  teardown: 'arn:aws:states:us-east-1:123456789012:stateMachine:tear',
  drift: 'arn:aws:states:us-east-1:123456789012:stateMachine:drift',
};

class FakeSfn implements Executions {
  readonly runs = new Map<string, ExecutionDetail>();
  starts = 0;

  async start(machine: string, name: string, input: string): Promise<StartOutcome> {
    this.starts++;
    const arn = executionArnFor(machine, name);
    const existing = this.runs.get(arn);
    if (existing)
      return existing.status === 'RUNNING' && existing.input === input
        ? { kind: 'started', executionArn: arn }
        : { kind: 'name-taken' };
    this.runs.set(arn, { executionArn: arn, stateMachineArn: machine, name, status: 'RUNNING', input });
    return { kind: 'started', executionArn: arn };
  }

  async describe(arn: string): Promise<ExecutionDetail | undefined> {
    return this.runs.get(arn);
  }

  async listRunning(machine: string) {
    return [...this.runs.values()].filter((r) => r.stateMachineArn === machine && r.status === 'RUNNING');
  }

  close(arn: string, status: ExecutionStatus = 'SUCCEEDED'): void {
    const r = this.runs.get(arn);
    if (r) r.status = status;
  }
}

/** records with Secrets Manager's compare-and-swap: a write lands only if the version read is still current */
class FakeRegistry implements Partial<Registry> {
  readonly records = new Map<string, ConnectionRecord>();
  private readonly versions = new Map<string, number>();
  writes = 0;
  async get(name: string): Promise<StoredRecord | undefined> {
    const record = this.records.get(name);
    return record ? { arn: `arn:secret:${name}`, record, versionId: String(this.versions.get(name) ?? 0) } : undefined;
  }
  async list(): Promise<ConnectionRecord[]> {
    return [...this.records.values()].filter((r) => r.status !== 'DELETED');
  }
  async transact<T>(
    name: string,
    decide: (current: StoredRecord | undefined) => Promise<Decision<T>> | Decision<T>,
  ): Promise<T> {
    for (;;) {
      const read = this.records.get(name);
      const version = this.versions.get(name) ?? 0;
      const d = await decide(read ? { arn: `arn:secret:${name}`, record: structuredClone(read) } : undefined);
      // let every other submission read too: the races this protects against happen here
      await new Promise((r) => setImmediate(r));
      if (!d.write) return d.result;
      if ((this.versions.get(name) ?? 0) !== version) continue;
      this.records.set(name, d.write);
      this.versions.set(name, version + 1);
      this.writes++;
      return d.result;
    }
  }
}

function spec(name = 'gdn-china', bandwidthMbps = 10): ConnectionSpec {
  const p = parseSpec({
    name,
    aws: { region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', cidr: '172.80.64.0/19' },
    alibaba: { region: 'eu-central-1', vpcId: 'vpc-gw8abcdefgh12345678', cidr: '192.168.0.0/16', bandwidthMbps },
  });
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return p.spec;
}

function setup(machines: Partial<typeof MACHINES> = MACHINES, now = () => new Date()) {
  const sfn = new FakeSfn();
  const registry = new FakeRegistry();
  const deps = { registry: registry as unknown as Registry, now } as Deps;
  return { sfn, registry, svc: new ConnectionService({ deps, executions: sfn, machines }) };
}

describe('execution names', () => {
  it('recognises only its own connection when names share a prefix', () => {
    // Assert
    expect(isExecutionOf('abc-provision-0', 'abc', 'provision')).toBe(true);
    expect(isExecutionOf('abc-provision-0-1', 'abc', 'provision')).toBe(true);
    expect(isExecutionOf('abc-provision-1-teardown-0', 'abc', 'provision')).toBe(false);
    expect(isExecutionOf('abc-provision-1-teardown-0', 'abc-provision-1', 'teardown')).toBe(true);
    expect(isExecutionOf('abc-drift-x-drift-0', 'abc', 'drift')).toBe(false);
    expect(isExecutionOf('abcd-provision-0', 'abc', 'provision')).toBe(false);
  });

  it('reads the state machine ARNs from the environment', () => {
    // Act
    const m = machinesFromEnv({ PROVISION_STATE_MACHINE_ARN: MACHINES.provision, DRIFT_STATE_MACHINE_ARN: '' });

    // Assert
    expect(m).toEqual({ provision: MACHINES.provision, teardown: undefined, drift: undefined });
  });
});

describe('submitProvision', () => {
  it('rejects an invalid spec with field issues and starts nothing', async () => {
    // Prepare
    const { svc, sfn } = setup();

    // Act
    const err = await svc.submitProvision({ name: 'X', aws: {} }).catch((e: unknown) => e);

    // Assert
    expect(err).toBeInstanceOf(SpecInvalid);
    expect((err as SpecInvalid).issues.map((i) => i.path)).toEqual(expect.arrayContaining(['name', 'aws.region']));
    expect(sfn.starts).toBe(0);
  });

  it('gives concurrent identical submissions the same execution', async () => {
    // Prepare
    const { svc, sfn } = setup();

    // Act
    const [a, b] = await Promise.all([svc.submitProvision(spec()), svc.submitProvision(spec())]);

    // Assert
    expect(a.executionArn).toBe(b.executionArn);
    expect(a.executionName).toMatch(/^gdn-china-provision-0-[0-9a-f]{6}$/);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(sfn.runs.size).toBe(1);
  });

  it('refuses a different spec while provisioning runs with the running execution named', async () => {
    // Prepare
    const { svc } = setup();
    const first = await svc.submitProvision(spec());

    // Act
    const err = await svc.submitProvision(spec('gdn-china', 100)).catch((e: unknown) => e);

    // Assert
    expect(err).toBeInstanceOf(OperationInProgress);
    expect((err as OperationInProgress).executionArn).toBe(first.executionArn);
  });

  it('takes over a connection whose execution closed without finishing, naming the execution it replaces', async () => {
    // Prepare: the first provisioning failed before it could release the connection
    const { svc, sfn, registry } = setup();
    const first = await svc.submitProvision(spec());
    sfn.close(first.executionArn, 'FAILED');

    // Act
    const [a, b] = await Promise.all([svc.submitProvision(spec()), svc.submitProvision(spec())]);

    // Assert
    const winner = a.duplicate ? b : a;
    expect(winner.replaces).toEqual(
      expect.objectContaining({ kind: 'provision', executionName: first.executionName, status: 'FAILED' }),
    );
    expect(winner.replaces?.note).toContain(`took over from provision ${first.executionName}`);
    expect((a.duplicate ? a : b).executionArn).toBe(winner.executionArn);
    expect(registry.records.get('gdn-china')?.operation?.replaces?.executionName).toBe(first.executionName);
    expect(sfn.runs.size).toBe(2);
  });

  it('waits for a just-taken lock to start, then takes over one whose execution never started', async () => {
    // Prepare: a lock taken for an execution that never reached Step Functions (the API died in between)
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const { svc, registry, sfn } = setup(MACHINES, () => new Date(clock));
    const r = newRecord(spec(), 'dev', 'g', '2026-01-01T00:00:00Z');
    r.operation = {
      kind: 'teardown',
      executionName: 'gdn-china-teardown-0-aaaaaa',
      executionArn: executionArnFor(MACHINES.teardown, 'gdn-china-teardown-0-aaaaaa'),
      startedAt: '2026-01-01T00:00:00.000Z',
    };
    r.status = 'DELETING';
    registry.records.set(r.name, r);

    // Act
    clock += 10_000;
    const early = await svc.submitProvision(spec()).catch((e: unknown) => e);
    clock += 120_000;
    const late = await svc.submitProvision(spec());

    // Assert
    expect(early).toBeInstanceOf(OperationInProgress);
    expect((early as Error).message).toContain('gdn-china-teardown-0-aaaaaa');
    expect(late.replaces).toEqual(
      expect.objectContaining({ executionName: 'gdn-china-teardown-0-aaaaaa', status: 'NOT_STARTED' }),
    );
    expect(sfn.runs.size).toBe(1);
  });

  it('lets exactly one of a provisioning and a teardown submitted at the same instant through', async () => {
    // Prepare
    const { svc, registry, sfn } = setup();
    const r = newRecord(spec(), 'dev', 'g', '2026-01-01T00:00:00Z');
    r.status = 'ACTIVE';
    registry.records.set(r.name, r);

    // Act
    const outcomes = await Promise.allSettled([svc.submitProvision(spec()), svc.submitTeardown('gdn-china')]);

    // Assert
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(OperationInProgress);
    expect(sfn.runs.size).toBe(1);
    const held = registry.records.get('gdn-china');
    expect(held?.operation?.executionName).toBe([...sfn.runs.values()][0]?.name);
  });

  it('gives the connection back when its execution cannot be started', async () => {
    // Prepare
    const { svc, registry, sfn } = setup();
    const r = newRecord(spec(), 'dev', 'g', '2026-01-01T00:00:00Z');
    r.status = 'ACTIVE';
    registry.records.set(r.name, r);
    sfn.start = async () => {
      throw new OperationInProgress('Step Functions is unavailable');
    };

    // Act
    const err = await svc.submitTeardown('gdn-china').catch((e: unknown) => e);

    // Assert
    expect(err).toBeInstanceOf(OperationInProgress);
    expect(registry.records.get('gdn-china')?.status).toBe('ACTIVE');
    expect(registry.records.get('gdn-china')?.operation).toBeUndefined();
  });

  it('uses the record generation and operation counter as the slot of a re-run', async () => {
    // Prepare
    const { svc, registry } = setup();
    const r = newRecord(spec(), 'dev', '1234ABCD-5678-4000-8000-000000000000', '2026-01-01T00:00:00Z');
    r.status = 'ACTIVE';
    r.completedOperations = 3;
    registry.records.set(r.name, r);

    // Act
    const s = await svc.submitProvision(spec());

    // Assert: the generation keeps a connection created again under the same name off its old names
    expect(s.executionName).toMatch(/^gdn-china-provision-1234abcd-3-[0-9a-f]{6}$/);
  });

  it('refuses provisioning while a teardown of the connection runs', async () => {
    // Prepare
    const { svc, registry } = setup();
    const r = newRecord(spec(), 'dev', 'g', '2026-01-01T00:00:00Z');
    r.status = 'ACTIVE';
    registry.records.set(r.name, r);
    const down = await svc.submitTeardown('gdn-china');

    // Act
    const err = await svc.submitProvision(spec()).catch((e: unknown) => e);

    // Assert
    expect(err).toBeInstanceOf(OperationInProgress);
    expect((err as Error).message).toContain('teardown');
    expect((err as OperationInProgress).executionArn).toBe(down.executionArn);
  });

  it('says which setting is missing when the provision state machine is not configured', async () => {
    // Prepare
    const { svc } = setup({});

    // Act
    const err = await svc.submitProvision(spec()).catch((e: unknown) => e);

    // Assert
    expect((err as Error).name).toBe('NotConfigured');
    expect((err as Error).message).toContain('PROVISION_STATE_MACHINE_ARN');
  });
});

describe('submitTeardown and submitDrift', () => {
  it('answers RecordMissing for an unknown or torn-down connection', async () => {
    // Prepare
    const { svc, registry, sfn } = setup();
    const gone = newRecord(spec('gone-one'), 'dev', 'g', '2026-01-01T00:00:00Z');
    gone.status = 'DELETED';
    registry.records.set(gone.name, gone);

    // Act
    const unknown = await svc.submitTeardown('nobody-here').catch((e: unknown) => e);
    const deleted = await svc.submitTeardown('gone-one').catch((e: unknown) => e);
    const drift = await svc.submitDrift('gone-one').catch((e: unknown) => e);

    // Assert
    expect(unknown).toBeInstanceOf(RecordMissing);
    expect(deleted).toBeInstanceOf(RecordMissing);
    expect((deleted as Error).message).toContain('torn down');
    expect(drift).toBeInstanceOf(RecordMissing);
    expect(sfn.starts).toBe(0);
  });

  it('starts the drift check with the connection name and the repair flag', async () => {
    // Prepare
    const { svc, registry, sfn } = setup();
    const r = newRecord(spec(), 'dev', 'g', '2026-01-01T00:00:00Z');
    r.status = 'ACTIVE';
    registry.records.set(r.name, r);

    // Act
    const s = await svc.submitDrift('gdn-china', { repair: true });
    const again = await svc.submitDrift('gdn-china', { repair: true });

    // Assert
    expect(s.operation).toBe('drift');
    expect(JSON.parse(sfn.runs.get(s.executionArn)?.input ?? '{}')).toEqual({ names: ['gdn-china'], repair: true });
    expect(again.executionArn).toBe(s.executionArn);
    expect(again.duplicate).toBe(true);
  });

  it('rejects a name that cannot be a connection before touching anything', async () => {
    // Prepare
    const { svc, sfn } = setup();

    // Act
    const err = await svc.submitTeardown('x; rm -rf /').catch((e: unknown) => e);

    // Assert
    expect(err).toBeInstanceOf(SpecInvalid);
    expect((err as SpecInvalid).issues[0]?.path).toBe('name');
    expect(sfn.starts).toBe(0);
  });
});
