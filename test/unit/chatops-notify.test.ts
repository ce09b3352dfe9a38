import { executionMessage, executionNotice, statusChangeEvent } from '../../src/chatops/notify';
import { setLogSink } from '../../src/log';
import { newRecord } from '../../src/registry/record';
import type { Registry, StoredRecord } from '../../src/registry/secrets-registry';
import type { ExecutionDetail, Executions } from '../../src/service/executions';
import { parseSpec } from '../../src/spec';

// The finished-execution message, from DescribeExecution (faked here) and the records.

beforeAll(() => setLogSink(() => undefined));
afterAll(() => setLogSink(undefined));

const PROV = 'arn:aws:states:us-east-1:123456789012:stateMachine:vpn-bridge-provision-dev';
const DRIFT = 'arn:aws:states:us-east-1:123456789012:stateMachine:vpn-bridge-drift-check-dev';
const MACHINES = { provision: PROV, drift: DRIFT };
const PSK = 'Abc.Def_0123456789xyz';

function spec(name: string) {
  const p = parseSpec({
    name,
    aws: { region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', cidr: '172.80.64.0/19' },
    alibaba: { region: 'eu-central-1', vpcId: 'vpc-gw8abcdefgh12345678', cidr: '192.168.0.0/16' },
  });
  if (!p.ok) throw new Error('bad spec');
  return p.spec;
}

function deps(executions: ExecutionDetail[]) {
  const record = newRecord(spec('gdn-china'), 'dev', 'g', '2026-01-01T00:00:00Z');
  record.status = 'FAILED';
  record.topology = 'dual-tunnel';
  record.handoffs.awsTunnels['vpn-1/1'] = { outsideIp: '3.3.3.3', insideCidr: '169.254.10.0/30', psk: PSK };
  const registry = {
    // like the real registry, reading a record registers its PSKs with the redactor
    get: async (name: string): Promise<StoredRecord | undefined> => {
      if (name !== 'gdn-china') return undefined;
      const { registerSecret } = await import('../../src/log');
      registerSecret(PSK);
      return { arn: 'arn:secret', record };
    },
    list: async () => [record],
  } as unknown as Registry;
  const ex: Executions = {
    start: async () => ({ kind: 'name-taken' }),
    describe: async (arn) => executions.find((e) => e.executionArn === arn),
    listRunning: async () => [],
  };
  return { registry, executions: ex, machines: MACHINES };
}

const execArn = (machine: string, name: string) => `${machine.replace(':stateMachine:', ':execution:')}:${name}`;

describe('executionMessage', () => {
  it('reports a failed provisioning with its error and cause, masking a key that slipped into the cause', async () => {
    // Prepare
    const arn = execArn(PROV, 'gdn-china-provision-2');
    const d = deps([
      {
        executionArn: arn,
        stateMachineArn: PROV,
        name: 'gdn-china-provision-2',
        status: 'FAILED',
        startDate: new Date('2026-01-01T00:00:00Z'),
        stopDate: new Date('2026-01-01T00:03:05Z'),
        input: JSON.stringify({ spec: { name: 'gdn-china' } }),
        error: 'TunnelsDown',
        cause: JSON.stringify({
          errorType: 'TunnelsDown',
          errorMessage: `tunnel vpn-1/1 (active): psk ${PSK} <mismatch>`,
        }),
      },
    ]);

    // Act
    const m = await executionMessage(d, statusChangeEvent(arn, { status: 'FAILED' }));

    // Assert
    expect(m?.text).toContain('provision of *gdn-china*: FAILED');
    expect(m?.text).toContain('3m05s');
    expect(m?.text).toContain('TunnelsDown: tunnel vpn-1/1 (active)');
    expect(m?.text).toContain('&lt;mismatch&gt;');
    expect(m?.text).toContain('connection status: FAILED (dual-tunnel)');
    expect(m?.text).not.toContain(PSK);
  });

  it('summarises a drift check with the findings per connection', async () => {
    // Prepare
    const arn = execArn(DRIFT, 'gdn-china-drift-0-1c8bbba');
    const output = {
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
          name: 'gdn-china',
          status: 'drifted',
          rowCount: 1,
          repairable: 1,
          changed: true,
          rows: [
            {
              connection: 'gdn-china',
              cloud: 'aws',
              resource: 'rtb-1',
              attribute: 'route 192.168.0.0/16',
              expected: 'vgw-1',
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
    };
    const d = deps([
      {
        executionArn: arn,
        stateMachineArn: DRIFT,
        name: 'gdn-china-drift-0-1c8bbba',
        status: 'SUCCEEDED',
        input: JSON.stringify({ names: ['gdn-china'], repair: false }),
        output: JSON.stringify(output),
      },
    ]);

    // Act
    const m = await executionMessage(d, statusChangeEvent(arn, { status: 'SUCCEEDED' }));

    // Assert
    expect(m?.text).toContain('drift of *gdn-china*: SUCCEEDED');
    expect(m?.text).toContain('1 checked: 0 clean, 1 drifted');
    expect(m?.text).toContain('gdn-china: drifted (1 finding)');
    expect(m?.text).toContain('high MISSING aws rtb-1 route 192.168.0.0/16: expected vgw-1, actual (none)');
  });

  it('sends nothing for a scheduled drift check in which nothing changed, but gives its facts', async () => {
    // Prepare
    const arn = execArn(DRIFT, '3f1c2a70-0000-4000-8000-000000000000');
    const d = deps([
      {
        executionArn: arn,
        stateMachineArn: DRIFT,
        name: '3f1c2a70-0000-4000-8000-000000000000',
        status: 'SUCCEEDED',
        startDate: new Date('2026-01-01T00:00:00Z'),
        stopDate: new Date('2026-01-01T00:00:42Z'),
        input: JSON.stringify({ repair: false }),
        output: JSON.stringify({
          summary: { connections: 4, clean: 4, drifted: 0, skipped: 0, errors: 0 },
          results: [],
        }),
      },
    ]);

    // Act
    const n = await executionNotice(d, statusChangeEvent(arn, { status: 'SUCCEEDED' }));

    // Assert
    expect(n?.message).toBeUndefined();
    expect(n?.quiet).toMatch(/nothing changed/);
    expect(n?.facts).toEqual({
      operation: 'drift',
      status: 'SUCCEEDED',
      durationMs: 42_000,
      drift: { drifted: 0, tunnelsDown: 0, changed: false },
    });
  });

  it('names a scheduled drift check over every connection when drift cleared, in Block Kit with a text fallback', async () => {
    // Prepare: the connection drifted before; now it is clean (a changed result)
    const arn = execArn(DRIFT, '3f1c2a70-0000-4000-8000-000000000001');
    const d = deps([
      {
        executionArn: arn,
        stateMachineArn: DRIFT,
        name: '3f1c2a70-0000-4000-8000-000000000001',
        status: 'SUCCEEDED',
        input: JSON.stringify({ repair: false }),
        output: JSON.stringify({
          summary: { connections: 4, clean: 4, drifted: 0, skipped: 0, errors: 0 },
          results: [{ name: 'gdn-china', status: 'clean', rowCount: 0, repairable: 0, changed: true, rows: [] }],
        }),
      },
    ]);

    // Act
    const m = await executionMessage(d, statusChangeEvent(arn, { status: 'SUCCEEDED' }));

    // Assert
    expect(m?.text).toContain('drift of *every managed connection*: SUCCEEDED');
    expect(m?.text).toContain('4 checked: 4 clean');
    expect(m?.blocks).toEqual([
      {
        type: 'section',
        text: { type: 'mrkdwn', text: expect.stringContaining('drift of *every managed connection*') },
      },
      { type: 'section', text: { type: 'mrkdwn', text: expect.stringContaining('4 checked: 4 clean') } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'vpn-bridge execution `3f1c2a70-0000-4000-8000-000000000001`' }],
      },
    ]);
  });

  it('reports a scheduled drift check that failed even though no result changed', async () => {
    // Prepare
    const arn = execArn(DRIFT, '3f1c2a70-0000-4000-8000-000000000002');
    const d = deps([
      {
        executionArn: arn,
        stateMachineArn: DRIFT,
        name: '3f1c2a70-0000-4000-8000-000000000002',
        status: 'SUCCEEDED',
        input: JSON.stringify({ repair: false }),
        output: JSON.stringify({
          summary: { connections: 4, clean: 3, drifted: 0, skipped: 0, errors: 1 },
          results: [
            { name: 'gdn-china', status: 'error', note: 'Throttled', rowCount: 0, repairable: 0, changed: false },
          ],
        }),
      },
    ]);

    // Act
    const m = await executionMessage(d, statusChangeEvent(arn, { status: 'SUCCEEDED' }));

    // Assert
    expect(m?.text).toContain('1 errors');
  });

  it('uses the event when the execution still reads RUNNING, and sends nothing for a running one', async () => {
    // Prepare
    const arn = execArn(PROV, 'gdn-china-provision-3');
    const d = deps([
      {
        executionArn: arn,
        stateMachineArn: PROV,
        name: 'gdn-china-provision-3',
        status: 'RUNNING',
        input: '{"spec":{"name":"gdn-china"}}',
      },
    ]);

    // Act
    const ended = await executionMessage(
      d,
      statusChangeEvent(arn, { status: 'FAILED', error: 'PreflightFailed', cause: 'aws.vpcId: not found' }),
    );
    const running = await executionMessage(d, statusChangeEvent(arn, { status: 'RUNNING' }));

    // Assert
    expect(ended?.text).toContain('FAILED');
    expect(ended?.text).toContain('PreflightFailed: aws.vpcId: not found');
    expect(running).toBeUndefined();
  });

  it('reads a provisioning output whose fields look like a drift report without failing', async () => {
    // Prepare
    const arn = execArn(PROV, 'gdn-china-provision-4');
    const d = deps([
      {
        executionArn: arn,
        stateMachineArn: PROV,
        name: 'gdn-china-provision-4',
        status: 'SUCCEEDED',
        input: '{"spec":{"name":"gdn-china"}}',
        output: JSON.stringify({ results: { a: 1 }, summary: 'x', repairErrors: 'y' }),
      },
    ]);

    // Act
    const m = await executionMessage(d, statusChangeEvent(arn, { status: 'SUCCEEDED' }));

    // Assert
    expect(m?.text).toContain('provision of *gdn-china*: SUCCEEDED');
  });
});
