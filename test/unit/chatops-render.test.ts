import {
  commandText,
  escapeMrkdwn,
  renderError,
  renderList,
  renderStatus,
  renderSubmission,
} from '../../src/chatops/render';
import { type ConnectionOps, runCommand } from '../../src/chatops/run';
import { OperationInProgress, ProviderRejected, RecordMissing } from '../../src/errors';
import { registerSecret, setLogSink } from '../../src/log';
import type { ConnectionView, Submission } from '../../src/service/connections';

// Chat replies: Slack escaping, roles and reasons per tunnel, secrets masked, errors without internals.

beforeAll(() => setLogSink(() => undefined));
afterAll(() => setLogSink(undefined));

const VIEW: ConnectionView = {
  name: 'gdn-china',
  status: 'ACTIVE',
  topology: 'dual-tunnel',
  spec: {
    name: 'gdn-china',
    aws: { region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', cidr: '172.80.64.0/19' },
    alibaba: {
      region: 'eu-central-1',
      vpcId: 'vpc-gw8abcdefgh12345678',
      cidr: '192.168.0.0/16',
      bandwidthMbps: 10,
      chargeType: 'POSTPAY',
    },
    tunnels: { profile: 'recommended', psk: 'from-aws-config' },
    onFailure: 'keep',
  } as ConnectionView['spec'],
  resources: {
    aws: { customerGateways: {}, vpnConnections: {}, routeTableIds: [] },
    alibaba: { customerGateways: {}, connections: {} },
  },
  tunnelEndpoints: {},
  completedOperations: 1,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  tunnels: [
    {
      id: 'vpn-1/1',
      role: 'active',
      up: true,
      aws: { tunnel: 1, status: 'UP' },
      alibaba: { role: 'master', status: 'ipsec_sa_established' },
    },
    {
      id: 'vpn-2/1',
      role: 'standby',
      up: false,
      aws: { tunnel: 1, status: 'DOWN' },
      alibaba: { role: 'slave', status: 'ike_sa_not_established' },
      reason: 'pre-shared key mismatch <between> the two clouds',
    },
    { id: 'vpn-1/2', role: 'unused', up: false, aws: { tunnel: 2, status: 'DOWN' } },
  ],
};

describe('renderStatus', () => {
  it('shows each tunnel with its role, UP/DOWN and the reason of a down one, escaped for Slack', () => {
    // Act
    const r = renderStatus(VIEW);

    // Assert
    expect(r.responseType).toBe('ephemeral');
    expect(r.text).toContain('*gdn-china*: ACTIVE (dual-tunnel)');
    expect(r.text).toContain('1 of 2 used tunnels UP');
    expect(r.text).toContain('vpn-1/1 active: UP');
    expect(r.text).toContain('vpn-2/1 standby: DOWN');
    expect(r.text).toContain('&lt;between&gt;');
    expect(r.text).toContain('vpn-1/2 unused');
  });

  it('masks any registered secret that reached a reply', () => {
    // Prepare
    registerSecret('LeakedPsk_1234');
    const view = { ...VIEW, statusReason: 'boom LeakedPsk_1234 <!here>' };

    // Act
    const r = renderStatus(view);

    // Assert
    expect(r.text).not.toContain('LeakedPsk_1234');
    expect(r.text).toContain('[REDACTED]');
    expect(r.text).not.toContain('<!here>');
  });
});

describe('renderStatus: attach point and CIDRs', () => {
  it('shows every CIDR of each side and the VGW with whether vpn-bridge adopted it', () => {
    // Prepare
    const spec = {
      ...VIEW.spec,
      aws: { region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', cidrs: ['172.80.64.0/19', '10.80.0.0/16'] },
    } as ConnectionView['spec'];
    const resources = {
      ...VIEW.resources,
      aws: { ...VIEW.resources.aws, vpnGatewayId: 'vgw-0123abcd', vpnGatewayOrigin: 'adopted' as const },
    };

    // Act
    const r = renderStatus({ ...VIEW, spec, resources });

    // Assert
    expect(r.text).toContain(
      'AWS us-east-1 172.80.64.0/19, 10.80.0.0/16 &lt;-&gt; Alibaba eu-central-1 192.168.0.0/16',
    );
    expect(r.text).toContain('AWS attach: VPN gateway vgw-0123abcd (adopted: never deleted by vpn-bridge)');
  });

  it('shows the transit gateway and its route table for a connection attached through one', () => {
    // Prepare
    const spec = {
      ...VIEW.spec,
      aws: {
        ...VIEW.spec?.aws,
        attach: { transitGateway: 'tgw-0123456789abcdef0', routeTableId: 'tgw-rtb-0123456789abcdef0', vpcRoutes: true },
      },
    } as ConnectionView['spec'];

    // Act
    const r = renderStatus({ ...VIEW, spec });

    // Assert
    expect(r.text).toContain(
      'AWS attach: transit gateway tgw-0123456789abcdef0, route table tgw-rtb-0123456789abcdef0 (VPC routes toward it)',
    );
    expect(r.text).not.toContain('VPN gateway vgw-');
  });
});

describe('other replies', () => {
  it('lists connections and escapes names and reasons', () => {
    // Act
    const r = renderList([
      { name: 'gdn-china', status: 'FAILED', updatedAt: 'x', awsRegion: 'us-east-1', alibabaRegion: 'eu-central-1' },
    ]);

    // Assert
    expect(r.text).toContain('gdn-china: FAILED us-east-1 &lt;-&gt; eu-central-1');
  });

  it('announces a submission in the channel with the user and the execution', () => {
    // Prepare
    const s: Submission = {
      name: 'gdn-china',
      operation: 'teardown',
      status: 'DELETING',
      executionArn: 'arn',
      executionName: 'gdn-china-teardown-3',
      duplicate: false,
      warnings: [],
    };

    // Act
    const r = renderSubmission(s, 'U123');
    const forged = renderSubmission(s, '<!channel>');

    // Assert
    expect(r.responseType).toBe('in_channel');
    expect(r.text).toContain('<@U123> started the teardown of *gdn-china*');
    expect(r.text).toContain('gdn-china-teardown-3');
    expect(forged.text).not.toContain('<!channel>');
  });

  it('explains our errors and hides unexpected ones', () => {
    // Assert
    expect(renderError(new RecordMissing('no connection named x')).text).toBe('no connection named x');
    expect(renderError(new OperationInProgress('busy <now>')).text).toBe('busy &lt;now&gt;');
    expect(renderError(new ProviderRejected('internal detail vpc-1')).text).not.toContain('vpc-1');
    expect(escapeMrkdwn('a & b')).toBe('a &amp; b');
  });

  it('renders commands canonically', () => {
    // Assert
    expect(commandText({ verb: 'down', name: 'x-y-z', confirmed: true })).toBe('/vpn down x-y-z confirm x-y-z');
    expect(commandText({ verb: 'drift' })).toBe('/vpn drift');
    expect(commandText({ verb: 'rotate', name: 'x-y-z', confirmed: false })).toBe('/vpn rotate x-y-z');
  });
});

describe('runCommand', () => {
  function ops(calls: string[]): ConnectionOps {
    const fail = (what: string) => async () => {
      calls.push(what);
      throw new RecordMissing(`no connection named ${what}`);
    };
    return {
      listConnections: async () => {
        calls.push('list');
        return [];
      },
      getConnection: fail('get'),
      submitRepair: fail('repair'),
      submitDrift: fail('drift'),
      submitDriftAll: fail('driftAll'),
      submitTeardown: fail('teardown'),
      submitRotation: fail('rotation'),
    } as unknown as ConnectionOps;
  }

  it('does nothing but explain for an unconfirmed down', async () => {
    // Prepare
    const calls: string[] = [];

    // Act
    const r = await runCommand(ops(calls), { verb: 'down', name: 'gdn-china', confirmed: false });

    // Assert
    expect(calls).toEqual([]);
    expect(r.text).toContain('Nothing was done');
  });

  it('does nothing but explain for an unconfirmed rotate', async () => {
    // Prepare
    const calls: string[] = [];

    // Act
    const r = await runCommand(ops(calls), { verb: 'rotate', name: 'gdn-china', confirmed: false });

    // Assert
    expect(calls).toEqual([]);
    expect(r.text).toContain('Nothing was done');
    expect(r.text).toContain('/vpn rotate gdn-china confirm gdn-china');
  });

  it('maps each command to its operation and turns errors into replies', async () => {
    // Prepare
    const calls: string[] = [];
    const o = ops(calls);

    // Act
    await runCommand(o, { verb: 'list' });
    await runCommand(o, { verb: 'up', name: 'a-b-c' });
    await runCommand(o, { verb: 'drift' });
    const r = await runCommand(o, { verb: 'down', name: 'a-b-c', confirmed: true });
    const rotated = await runCommand(o, { verb: 'rotate', name: 'a-b-c', confirmed: true });

    // Assert
    expect(calls).toEqual(['list', 'repair', 'driftAll', 'teardown', 'rotation']);
    expect(rotated.text).toBe('no connection named rotation');
    expect(r.text).toBe('no connection named teardown');
  });
});
