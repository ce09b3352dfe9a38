import {
  CreateCustomerGatewayCommand,
  CreateVpnConnectionCommand,
  CreateVpnConnectionRouteCommand,
  CreateVpnGatewayCommand,
  DeleteVpnConnectionCommand,
  DeleteVpnConnectionRouteCommand,
  DescribeVpnConnectionsCommand,
  ModifyVpnTunnelOptionsCommand,
  type VpnTunnelOptionsSpecification,
} from '@aws-sdk/client-ec2';
import { XMLParser } from 'fast-xml-parser';
import { DEFAULT_LAG, DEFAULT_LATENCIES } from '../../sim';
import { useSimulator } from '../helpers/sim';
import { availableCgw, availableVgw, availableVpn, createVpn, failure, wait } from './ec2-fixtures';

const sim = useSimulator({ timeScale: 1 });
const ec2 = () => sim().ec2();

beforeEach(() => {
  sim().sim.reset();
  sim().sim.configure({ latencies: { ...DEFAULT_LATENCIES }, lag: { ...DEFAULT_LAG } });
});

async function describeVpn(id: string) {
  const out = await ec2().send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [id] }));
  return out.VpnConnections?.[0];
}

async function gateways(): Promise<{ VpnGatewayId: string; CustomerGatewayId: string }> {
  return { VpnGatewayId: await availableVgw(sim()), CustomerGatewayId: await availableCgw(sim()) };
}

const PSK_RULE = /^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$/;
const RESERVED = [
  '169.254.0.0/30',
  '169.254.1.0/30',
  '169.254.2.0/30',
  '169.254.3.0/30',
  '169.254.4.0/30',
  '169.254.5.0/30',
  '169.254.169.252/30',
];

function isValidInsideCidr(cidr: string | undefined): boolean {
  const m = /^169\.254\.(\d+)\.(\d+)\/30$/.exec(cidr ?? '');
  return m !== null && Number(m[1]) <= 255 && Number(m[2]) % 4 === 0 && !RESERVED.includes(cidr as string);
}

describe('CreateVpnConnection', () => {
  it('creates a pending static connection with the article tunnel IPs and every default filled', async () => {
    const gw = await gateways();

    const vpn = await createVpn(sim(), {
      ...gw,
      Options: { StaticRoutesOnly: true },
      TagSpecifications: [{ ResourceType: 'vpn-connection', Tags: [{ Key: 'Name', Value: 'to-alibaba' }] }],
    });

    expect(vpn).toMatchObject({
      State: 'pending',
      Type: 'ipsec.1',
      Category: 'VPN',
      ...gw,
      Routes: [],
      Tags: [{ Key: 'Name', Value: 'to-alibaba' }],
      Options: {
        StaticRoutesOnly: true,
        LocalIpv4NetworkCidr: '0.0.0.0/0',
        RemoteIpv4NetworkCidr: '0.0.0.0/0',
        OutsideIpAddressType: 'PublicIpv4',
        TunnelInsideIpVersion: 'ipv4',
      },
    });
    expect(vpn.VpnConnectionId).toMatch(/^vpn-0[0-9a-f]{16}$/);
    expect(vpn.Options?.TunnelOptions?.map((t) => t.OutsideIpAddress)).toEqual(['34.194.44.159', '34.198.177.52']);
    for (const t of vpn.Options?.TunnelOptions ?? []) {
      expect(t).toMatchObject({
        Phase1LifetimeSeconds: 28800,
        Phase2LifetimeSeconds: 3600,
        RekeyMarginTimeSeconds: 270,
        RekeyFuzzPercentage: 100,
        ReplayWindowSize: 1024,
        DpdTimeoutSeconds: 30,
        DpdTimeoutAction: 'clear',
        StartupAction: 'add',
        Phase1EncryptionAlgorithms: [],
        Phase2EncryptionAlgorithms: [],
        Phase1IntegrityAlgorithms: [],
        Phase2IntegrityAlgorithms: [],
        Phase1DHGroupNumbers: [],
        Phase2DHGroupNumbers: [],
        IkeVersions: [],
      });
    }
    expect(vpn.VgwTelemetry?.map((t) => [t.OutsideIpAddress, t.Status, t.AcceptedRouteCount])).toEqual([
      ['34.194.44.159', 'DOWN', 0],
      ['34.198.177.52', 'DOWN', 0],
    ]);
    expect(vpn.VgwTelemetry?.[0]?.LastStatusChange).toBeInstanceOf(Date);
  });

  it('becomes available once the create latency has passed', async () => {
    const vpn = await createVpn(sim(), { ...(await gateways()), Options: { StaticRoutesOnly: true } });

    wait(sim(), 'aws.vpnConnection.create');

    expect((await describeVpn(vpn.VpnConnectionId as string))?.State).toBe('available');
  });

  it('stores every given tunnel option under its response spelling', async () => {
    const tunnel: VpnTunnelOptionsSpecification = {
      TunnelInsideCidr: '169.254.10.0/30',
      PreSharedKey: 'Abc.def_12345678',
      Phase1LifetimeSeconds: 14400,
      Phase2LifetimeSeconds: 1800,
      RekeyMarginTimeSeconds: 540,
      RekeyFuzzPercentage: 50,
      ReplayWindowSize: 2048,
      DPDTimeoutSeconds: 40,
      DPDTimeoutAction: 'restart',
      Phase1EncryptionAlgorithms: [{ Value: 'AES256' }, { Value: 'AES128' }],
      Phase2EncryptionAlgorithms: [{ Value: 'AES128-GCM-16' }],
      Phase1IntegrityAlgorithms: [{ Value: 'SHA2-256' }],
      Phase2IntegrityAlgorithms: [{ Value: 'SHA2-512' }],
      Phase1DHGroupNumbers: [{ Value: 14 }, { Value: 2 }],
      Phase2DHGroupNumbers: [{ Value: 5 }],
      IKEVersions: [{ Value: 'ikev2' }],
      StartupAction: 'start',
      EnableTunnelLifecycleControl: true,
    };

    const vpn = await createVpn(sim(), {
      ...(await gateways()),
      Options: {
        StaticRoutesOnly: true,
        LocalIpv4NetworkCidr: '192.168.0.0/16',
        RemoteIpv4NetworkCidr: '172.80.64.0/19',
        TunnelOptions: [tunnel, { TunnelInsideCidr: '169.254.11.0/30' }],
      },
    });

    expect(vpn.Options).toMatchObject({
      LocalIpv4NetworkCidr: '192.168.0.0/16',
      RemoteIpv4NetworkCidr: '172.80.64.0/19',
    });
    expect(vpn.Options?.TunnelOptions?.[0]).toMatchObject({
      TunnelInsideCidr: '169.254.10.0/30',
      PreSharedKey: 'Abc.def_12345678',
      Phase1LifetimeSeconds: 14400,
      Phase2LifetimeSeconds: 1800,
      RekeyMarginTimeSeconds: 540,
      RekeyFuzzPercentage: 50,
      ReplayWindowSize: 2048,
      DpdTimeoutSeconds: 40,
      DpdTimeoutAction: 'restart',
      Phase1EncryptionAlgorithms: [{ Value: 'AES256' }, { Value: 'AES128' }],
      Phase2EncryptionAlgorithms: [{ Value: 'AES128-GCM-16' }],
      Phase1IntegrityAlgorithms: [{ Value: 'SHA2-256' }],
      Phase2IntegrityAlgorithms: [{ Value: 'SHA2-512' }],
      Phase1DHGroupNumbers: [{ Value: 14 }, { Value: 2 }],
      Phase2DHGroupNumbers: [{ Value: 5 }],
      IkeVersions: [{ Value: 'ikev2' }],
      StartupAction: 'start',
      EnableTunnelLifecycleControl: true,
    });
    expect(vpn.Options?.TunnelOptions?.[1]).toMatchObject({
      TunnelInsideCidr: '169.254.11.0/30',
      StartupAction: 'add',
    });
  });

  it('generates a 32-character pre-shared key that satisfies the AWS rule when none is given', async () => {
    const vpn = await createVpn(sim(), { ...(await gateways()), Options: { StaticRoutesOnly: true } });

    const keys = vpn.Options?.TunnelOptions?.map((t) => t.PreSharedKey ?? '') ?? [];

    expect(keys).toHaveLength(2);
    for (const k of keys) {
      expect(k).toHaveLength(32);
      expect(k).toMatch(PSK_RULE);
    }
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('picks two distinct valid /30 inside CIDRs when none are given', async () => {
    const vpn = await createVpn(sim(), { ...(await gateways()), Options: { StaticRoutesOnly: true } });

    const cidrs = vpn.Options?.TunnelOptions?.map((t) => t.TunnelInsideCidr) ?? [];

    expect(cidrs.every(isValidInsideCidr)).toBe(true);
    expect(new Set(cidrs).size).toBe(2);
  });

  it('refuses an inside CIDR already used by another connection on the same VPN gateway', async () => {
    const gw = await gateways();
    await createVpn(sim(), { ...gw, Options: { TunnelOptions: [{ TunnelInsideCidr: '169.254.20.0/30' }] } });

    const err = await failure(
      createVpn(sim(), { ...gw, Options: { TunnelOptions: [{}, { TunnelInsideCidr: '169.254.20.0/30' }] } }),
    );

    expect(err).toMatchObject({ name: 'InvalidParameterValue', status: 400 });
    expect(err.message).toContain('tunnel 2 TunnelInsideCidr');
  });

  it('accepts an inside CIDR used on a different VPN gateway', async () => {
    const first = await gateways();
    await createVpn(sim(), { ...first, Options: { TunnelOptions: [{ TunnelInsideCidr: '169.254.20.0/30' }] } });

    const vpn = await createVpn(sim(), {
      VpnGatewayId: await availableVgw(sim()),
      CustomerGatewayId: first.CustomerGatewayId,
      Options: { TunnelOptions: [{ TunnelInsideCidr: '169.254.20.0/30' }] },
    });

    expect(vpn.Options?.TunnelOptions?.[0]?.TunnelInsideCidr).toBe('169.254.20.0/30');
  });

  it('refuses the same inside CIDR for both tunnels', async () => {
    const err = await failure(
      createVpn(sim(), {
        ...(await gateways()),
        Options: { TunnelOptions: [{ TunnelInsideCidr: '169.254.30.0/30' }, { TunnelInsideCidr: '169.254.30.0/30' }] },
      }),
    );

    expect(err.name).toBe('InvalidParameterValue');
    expect(err.message).toContain('tunnel 2 TunnelInsideCidr');
  });

  it.each<[string, VpnTunnelOptionsSpecification, string]>([
    ['a short phase 1 lifetime', { Phase1LifetimeSeconds: 600 }, 'tunnel 1 Phase1LifetimeSeconds'],
    [
      'a phase 2 lifetime not below phase 1',
      { Phase1LifetimeSeconds: 1800, Phase2LifetimeSeconds: 1800 },
      'Invalid value for tunnel 1 Phase2LifetimeSeconds: must be between 900 and 3600 and less than Phase1LifetimeSeconds',
    ],
    ['a phase 2 lifetime above 3600', { Phase2LifetimeSeconds: 7200 }, 'tunnel 1 Phase2LifetimeSeconds'],
    [
      'a rekey margin above half of phase 2',
      { Phase2LifetimeSeconds: 1200, RekeyMarginTimeSeconds: 700 },
      'tunnel 1 RekeyMarginTimeSeconds',
    ],
    ['a rekey margin below 60', { RekeyMarginTimeSeconds: 30 }, 'tunnel 1 RekeyMarginTimeSeconds'],
    ['a fuzz above 100 %', { RekeyFuzzPercentage: 101 }, 'tunnel 1 RekeyFuzzPercentage'],
    ['a replay window below 64', { ReplayWindowSize: 32 }, 'tunnel 1 ReplayWindowSize'],
    ['a DPD timeout below 30', { DPDTimeoutSeconds: 10 }, 'tunnel 1 DPDTimeoutSeconds'],
    ['an unknown DPD action', { DPDTimeoutAction: 'drop' }, 'tunnel 1 DPDTimeoutAction'],
    ['an unknown startup action', { StartupAction: 'go' }, 'tunnel 1 StartupAction'],
    [
      'an unknown phase 1 cipher',
      { Phase1EncryptionAlgorithms: [{ Value: 'DES' }] },
      'tunnel 1 Phase1EncryptionAlgorithms',
    ],
    [
      'an unknown phase 2 cipher',
      { Phase2EncryptionAlgorithms: [{ Value: '3DES' }] },
      'tunnel 1 Phase2EncryptionAlgorithms',
    ],
    [
      'an unknown phase 1 integrity',
      { Phase1IntegrityAlgorithms: [{ Value: 'MD5' }] },
      'tunnel 1 Phase1IntegrityAlgorithms',
    ],
    [
      'an unknown phase 2 integrity',
      { Phase2IntegrityAlgorithms: [{ Value: 'MD5' }] },
      'tunnel 1 Phase2IntegrityAlgorithms',
    ],
    ['DH group 5 in phase 1', { Phase1DHGroupNumbers: [{ Value: 5 }] }, 'tunnel 1 Phase1DHGroupNumbers'],
    ['DH group 1 in phase 2', { Phase2DHGroupNumbers: [{ Value: 1 }] }, 'tunnel 1 Phase2DHGroupNumbers'],
    ['an unknown IKE version', { IKEVersions: [{ Value: 'ikev3' }] }, 'tunnel 1 IKEVersions'],
    ['an inside CIDR that is not a /30', { TunnelInsideCidr: '169.254.10.0/29' }, 'tunnel 1 TunnelInsideCidr'],
    ['an inside CIDR outside 169.254.0.0/16', { TunnelInsideCidr: '10.0.0.0/30' }, 'tunnel 1 TunnelInsideCidr'],
    ['a reserved inside CIDR', { TunnelInsideCidr: '169.254.169.252/30' }, 'tunnel 1 TunnelInsideCidr'],
    ['another reserved inside CIDR', { TunnelInsideCidr: '169.254.5.0/30' }, 'tunnel 1 TunnelInsideCidr'],
    ['a misaligned inside CIDR', { TunnelInsideCidr: '169.254.10.1/30' }, 'tunnel 1 TunnelInsideCidr'],
    ['a PSK starting with 0', { PreSharedKey: '0abcdefgh' }, 'tunnel 1 PreSharedKey'],
    ['a PSK shorter than 8', { PreSharedKey: 'abc1234' }, 'tunnel 1 PreSharedKey'],
    ['a PSK with a dash', { PreSharedKey: 'abc-12345678' }, 'tunnel 1 PreSharedKey'],
    ['a PSK longer than 64', { PreSharedKey: `a${'b'.repeat(64)}` }, 'tunnel 1 PreSharedKey'],
  ])('rejects %s with InvalidParameterValue naming the tunnel and field', async (_what, tunnel, message) => {
    const gw = await gateways();

    const err = await failure(createVpn(sim(), { ...gw, Options: { TunnelOptions: [tunnel] } }));

    expect(err).toMatchObject({ name: 'InvalidParameterValue', status: 400 });
    expect(err.message).toContain(message);
  });

  it('names tunnel 2 when only the second tunnel is invalid', async () => {
    const err = await failure(
      createVpn(sim(), { ...(await gateways()), Options: { TunnelOptions: [{}, { ReplayWindowSize: 4096 }] } }),
    );

    expect(err.message).toContain('tunnel 2 ReplayWindowSize');
  });

  it('accepts the boundary values of every numeric tunnel option', async () => {
    const vpn = await createVpn(sim(), {
      ...(await gateways()),
      Options: {
        TunnelOptions: [
          {
            Phase1LifetimeSeconds: 901,
            Phase2LifetimeSeconds: 900,
            RekeyMarginTimeSeconds: 450,
            RekeyFuzzPercentage: 0,
            ReplayWindowSize: 64,
            DPDTimeoutSeconds: 30,
            PreSharedKey: `a${'b'.repeat(63)}`,
          },
        ],
      },
    });

    expect(vpn.Options?.TunnelOptions?.[0]).toMatchObject({ Phase2LifetimeSeconds: 900, RekeyMarginTimeSeconds: 450 });
  });

  it('rejects a VPN gateway together with a transit gateway with InvalidParameterCombination', async () => {
    const err = await failure(createVpn(sim(), { ...(await gateways()), TransitGatewayId: 'tgw-0123456789abcdef0' }));

    expect(err).toMatchObject({ name: 'InvalidParameterCombination', status: 400 });
  });

  it('refuses a customer gateway that is not yet available with InvalidCustomerGatewayState', async () => {
    const vgwId = await availableVgw(sim());
    sim().sim.configure({ latencies: { 'aws.customerGateway.create': 600 } });
    const cgw = await ec2().send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '47.254.72.128' }));
    wait(sim(), 'ec2.byId');

    const err = await failure(
      createVpn(sim(), { VpnGatewayId: vgwId, CustomerGatewayId: cgw.CustomerGateway?.CustomerGatewayId }),
    );

    expect(err).toMatchObject({ name: 'InvalidCustomerGatewayState', status: 400 });
  });

  it('refuses a VPN gateway that is not yet available with InvalidVpnGatewayState', async () => {
    const cgwId = await availableCgw(sim());
    const vgw = await ec2().send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }));
    wait(sim(), 'ec2.byId');

    const err = await failure(
      createVpn(sim(), { VpnGatewayId: vgw.VpnGateway?.VpnGatewayId, CustomerGatewayId: cgwId }),
    );

    expect(err).toMatchObject({ name: 'InvalidVpnGatewayState', status: 400 });
  });

  it('answers NotFound for a customer gateway still inside the eventual-consistency window', async () => {
    const vgwId = await availableVgw(sim());
    sim().sim.configure({ lag: { 'ec2.byId': 300 } });
    const cgw = await ec2().send(new CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '47.254.72.128' }));
    wait(sim(), 'aws.customerGateway.create');

    const err = await failure(
      createVpn(sim(), { VpnGatewayId: vgwId, CustomerGatewayId: cgw.CustomerGateway?.CustomerGatewayId }),
    );

    expect(err).toMatchObject({ name: 'InvalidCustomerGatewayID.NotFound', status: 400 });
  });

  it('creates a new connection on every call', async () => {
    const gw = await gateways();

    const a = await createVpn(sim(), gw);
    const b = await createVpn(sim(), gw);

    expect(a.VpnConnectionId).not.toBe(b.VpnConnectionId);
  });

  it('refuses an eleventh connection on one VPN gateway with VpnConnectionLimitExceeded', async () => {
    const gw = await gateways();
    for (let i = 0; i < 10; i++) await createVpn(sim(), gw);

    const err = await failure(createVpn(sim(), gw));

    expect(err).toMatchObject({ name: 'VpnConnectionLimitExceeded', status: 400 });
  });

  it('answers DryRunOperation after validating, and creates nothing', async () => {
    const gw = await gateways();

    const err = await failure(ec2().send(new CreateVpnConnectionCommand({ Type: 'ipsec.1', ...gw, DryRun: true })));
    const all = await ec2().send(new DescribeVpnConnectionsCommand({}));

    expect(err).toMatchObject({ name: 'DryRunOperation', status: 412 });
    expect(all.VpnConnections).toEqual([]);
  });
});

describe('PreSharedKeyStorage', () => {
  it('is refused unless Standard, on CreateVpnConnection and on ModifyVpnTunnelOptions, naming the value', async () => {
    // Prepare
    const gw = await gateways();

    // Act
    const create = await failure(
      ec2().send(
        new CreateVpnConnectionCommand({
          Type: 'ipsec.1',
          ...gw,
          Options: { StaticRoutesOnly: true },
          PreSharedKeyStorage: 'SecretsManager',
        }),
      ),
    );
    const modify = await failure(
      ec2().send(
        new ModifyVpnTunnelOptionsCommand({
          VpnConnectionId: 'vpn-0123456789abcdef0',
          VpnTunnelOutsideIpAddress: '3.120.1.1',
          TunnelOptions: { PreSharedKey: 'Rotated.key_0123456789' },
          PreSharedKeyStorage: 'Vault',
        }),
      ),
    );

    // Assert
    expect(create.status).toBe(400);
    expect(create.message).toBe('PreSharedKeyStorage=SecretsManager is not supported by the simulator; use Standard');
    expect(modify.status).toBe(400);
    expect(modify.message).toBe("Invalid value 'Vault' for PreSharedKeyStorage: must be Standard or SecretsManager");
  });
});

describe('CustomerGatewayConfiguration', () => {
  const parser = new XMLParser({
    ignoreAttributes: false,
    parseTagValue: false,
    isArray: (name) => name === 'ipsec_tunnel',
  });

  it('carries the static-route document whose outside IPs and PSKs equal Options.TunnelOptions', async () => {
    const gw = await gateways();
    const vpn = await createVpn(sim(), {
      ...gw,
      Options: {
        StaticRoutesOnly: true,
        TunnelOptions: [{ TunnelInsideCidr: '169.254.10.0/30' }, { TunnelInsideCidr: '169.254.11.0/30' }],
      },
    });

    const doc = parser.parse(vpn.CustomerGatewayConfiguration as string);
    const conn = doc.vpn_connection;
    const tunnels = conn.ipsec_tunnel as Array<Record<string, Record<string, Record<string, unknown>>>>;

    expect(conn['@_id']).toBe(vpn.VpnConnectionId);
    expect(conn).toMatchObject({
      customer_gateway_id: gw.CustomerGatewayId,
      vpn_gateway_id: gw.VpnGatewayId,
      vpn_connection_type: 'ipsec.1',
      vpn_connection_attributes: 'NoBGPVPNConnection',
    });
    expect(tunnels.map((t) => t.vpn_gateway?.tunnel_outside_address)).toEqual(
      vpn.Options?.TunnelOptions?.map((t) => ({ ip_address: t.OutsideIpAddress })),
    );
    expect(tunnels.map((t) => t.ike?.pre_shared_key)).toEqual(vpn.Options?.TunnelOptions?.map((t) => t.PreSharedKey));
    expect(tunnels[0]).toMatchObject({
      customer_gateway: {
        tunnel_outside_address: { ip_address: '47.254.72.128' },
        tunnel_inside_address: { ip_address: '169.254.10.2', network_mask: '255.255.255.252', network_cidr: '30' },
      },
      vpn_gateway: { tunnel_inside_address: { ip_address: '169.254.10.1', network_cidr: '30' } },
      ike: {
        authentication_protocol: 'sha1',
        encryption_protocol: 'aes-128-cbc',
        lifetime: '28800',
        perfect_forward_secrecy: 'group2',
        mode: 'main',
      },
      ipsec: {
        protocol: 'esp',
        authentication_protocol: 'hmac-sha1-96',
        encryption_protocol: 'aes-128-cbc',
        lifetime: '3600',
        perfect_forward_secrecy: 'group2',
        mode: 'tunnel',
        clear_df_bit: 'true',
        fragmentation_before_encryption: 'true',
        tcp_mss_adjustment: '1379',
        dead_peer_detection: { interval: '10', retries: '3' },
      },
    });
    expect(tunnels[1]?.customer_gateway?.tunnel_inside_address).toMatchObject({ ip_address: '169.254.11.2' });
  });

  it('carries BGP blocks and no NoBGP attribute for a dynamic connection', async () => {
    const vpn = await createVpn(sim(), { ...(await gateways()), Options: { StaticRoutesOnly: false } });

    const conn = parser.parse(vpn.CustomerGatewayConfiguration as string).vpn_connection;

    expect(conn.vpn_connection_attributes).toBeUndefined();
    expect(conn.ipsec_tunnel[0].customer_gateway.bgp).toEqual({ asn: '65000', hold_time: '30' });
    expect(conn.ipsec_tunnel[0].vpn_gateway.bgp).toEqual({ asn: '64512', hold_time: '30' });
  });

  it('is described while available and dropped once the connection is deleting', async () => {
    const vpn = await availableVpn(sim());

    const available = await describeVpn(vpn.VpnConnectionId);
    await ec2().send(new DeleteVpnConnectionCommand({ VpnConnectionId: vpn.VpnConnectionId }));
    const deleting = await describeVpn(vpn.VpnConnectionId);

    expect(available?.CustomerGatewayConfiguration).toBe(vpn.CustomerGatewayConfiguration);
    expect(deleting?.State).toBe('deleting');
    expect(deleting?.CustomerGatewayConfiguration).toBeUndefined();
  });
});

describe('DescribeVpnConnections / DeleteVpnConnection', () => {
  it('describes options, telemetry and tags, and filters by gateway, state, routing and tag', async () => {
    const gw = await gateways();
    const tagged = await availableVpn(sim(), {
      ...gw,
      TagSpecifications: [{ ResourceType: 'vpn-connection', Tags: [{ Key: 'managed-by', Value: 'vpn-bridge' }] }],
    });
    await createVpn(sim(), { ...gw, Options: { StaticRoutesOnly: false } }); // pending, BGP
    wait(sim(), 'ec2.list');
    await ec2().send(
      new CreateVpnConnectionRouteCommand({
        VpnConnectionId: tagged.VpnConnectionId,
        DestinationCidrBlock: '192.168.0.0/16',
      }),
    );

    const filtered = await ec2().send(
      new DescribeVpnConnectionsCommand({
        Filters: [
          { Name: 'vpn-gateway-id', Values: [gw.VpnGatewayId] },
          { Name: 'customer-gateway-id', Values: [gw.CustomerGatewayId] },
          { Name: 'state', Values: ['available'] },
          { Name: 'option.static-routes-only', Values: ['true'] },
          { Name: 'route.destination-cidr-block', Values: ['192.168.0.0/16'] },
          { Name: 'tag:managed-by', Values: ['vpn-bridge'] },
        ],
      }),
    );
    const bgp = await ec2().send(
      new DescribeVpnConnectionsCommand({ Filters: [{ Name: 'option.static-routes-only', Values: ['false'] }] }),
    );

    expect(filtered.VpnConnections?.map((c) => c.VpnConnectionId)).toEqual([tagged.VpnConnectionId]);
    expect(filtered.VpnConnections?.[0]).toMatchObject({
      Tags: [{ Key: 'managed-by', Value: 'vpn-bridge' }],
      Routes: [{ DestinationCidrBlock: '192.168.0.0/16', Source: 'Static', State: 'pending' }],
      Options: { TunnelOptions: tagged.Options?.TunnelOptions },
    });
    expect(filtered.VpnConnections?.[0]?.VgwTelemetry).toHaveLength(2);
    expect(bgp.VpnConnections).toHaveLength(1);
  });

  it('answers InvalidVpnConnectionID.NotFound naming an unknown id', async () => {
    const err = await failure(describeVpn('vpn-0123456789abcdef0'));

    expect(err).toMatchObject({ name: 'InvalidVpnConnectionID.NotFound', status: 400 });
    expect(err.message).toContain('vpn-0123456789abcdef0');
  });

  it('deletes a connection: deleting, deleted (still visible), then gone', async () => {
    const vpn = await availableVpn(sim());

    await ec2().send(new DeleteVpnConnectionCommand({ VpnConnectionId: vpn.VpnConnectionId }));
    const during = await describeVpn(vpn.VpnConnectionId);
    wait(sim(), 'aws.vpnConnection.delete');
    const after = await describeVpn(vpn.VpnConnectionId);
    const again = await failure(ec2().send(new DeleteVpnConnectionCommand({ VpnConnectionId: vpn.VpnConnectionId })));
    wait(sim(), 'aws.deletedVisibility');
    const gone = await failure(describeVpn(vpn.VpnConnectionId));

    expect(during?.State).toBe('deleting');
    expect(after?.State).toBe('deleted');
    expect(again.name).toBe('InvalidVpnConnectionID.NotFound');
    expect(gone.name).toBe('InvalidVpnConnectionID.NotFound');
  });

  it('frees the inside CIDRs of a deleted connection for reuse on the gateway', async () => {
    const gw = await gateways();
    const first = await availableVpn(sim(), {
      ...gw,
      Options: { TunnelOptions: [{ TunnelInsideCidr: '169.254.40.0/30' }] },
    });
    await ec2().send(new DeleteVpnConnectionCommand({ VpnConnectionId: first.VpnConnectionId }));
    wait(sim(), 'aws.vpnConnection.delete');

    const second = await createVpn(sim(), {
      ...gw,
      Options: { TunnelOptions: [{ TunnelInsideCidr: '169.254.40.0/30' }] },
    });

    expect(second.Options?.TunnelOptions?.[0]?.TunnelInsideCidr).toBe('169.254.40.0/30');
  });
});

describe('CreateVpnConnectionRoute / DeleteVpnConnectionRoute', () => {
  it('adds a static route: pending, then available; a duplicate adds nothing', async () => {
    const vpn = await availableVpn(sim());
    const route = { VpnConnectionId: vpn.VpnConnectionId, DestinationCidrBlock: '192.168.0.0/16' };

    await ec2().send(new CreateVpnConnectionRouteCommand(route));
    const pending = await describeVpn(vpn.VpnConnectionId);
    wait(sim(), 'aws.vpnConnectionRoute.create');
    await ec2().send(new CreateVpnConnectionRouteCommand(route));
    const available = await describeVpn(vpn.VpnConnectionId);

    expect(pending?.Routes).toEqual([{ DestinationCidrBlock: '192.168.0.0/16', Source: 'Static', State: 'pending' }]);
    expect(available?.Routes).toEqual([
      { DestinationCidrBlock: '192.168.0.0/16', Source: 'Static', State: 'available' },
    ]);
  });

  it('refuses a route on a connection that is not available with InvalidVpnConnection.InvalidState', async () => {
    const vpn = await createVpn(sim(), { ...(await gateways()), Options: { StaticRoutesOnly: true } });
    wait(sim(), 'ec2.byId');

    const err = await failure(
      ec2().send(
        new CreateVpnConnectionRouteCommand({
          VpnConnectionId: vpn.VpnConnectionId,
          DestinationCidrBlock: '10.1.0.0/16',
        }),
      ),
    );

    expect(err).toMatchObject({ name: 'InvalidVpnConnection.InvalidState', status: 400 });
  });

  it('refuses a static route on a BGP connection with InvalidVpnConnection.InvalidType', async () => {
    const vpn = await availableVpn(sim(), { Options: { StaticRoutesOnly: false } });

    const err = await failure(
      ec2().send(
        new CreateVpnConnectionRouteCommand({
          VpnConnectionId: vpn.VpnConnectionId,
          DestinationCidrBlock: '10.1.0.0/16',
        }),
      ),
    );

    expect(err).toMatchObject({ name: 'InvalidVpnConnection.InvalidType', status: 400 });
  });

  it('refuses a 101st static route', async () => {
    const vpn = await availableVpn(sim());
    for (let i = 0; i < 100; i++)
      await ec2().send(
        new CreateVpnConnectionRouteCommand({
          VpnConnectionId: vpn.VpnConnectionId,
          DestinationCidrBlock: `10.${i}.0.0/16`,
        }),
      );

    const err = await failure(
      ec2().send(
        new CreateVpnConnectionRouteCommand({
          VpnConnectionId: vpn.VpnConnectionId,
          DestinationCidrBlock: '10.200.0.0/16',
        }),
      ),
    );

    expect(err).toMatchObject({ name: 'RouteLimitExceeded', status: 400 });
  });

  it('deletes a static route: deleting, then gone; deleting it again answers InvalidRoute.NotFound', async () => {
    const vpn = await availableVpn(sim());
    const route = { VpnConnectionId: vpn.VpnConnectionId, DestinationCidrBlock: '192.168.0.0/16' };
    await ec2().send(new CreateVpnConnectionRouteCommand(route));
    wait(sim(), 'aws.vpnConnectionRoute.create');

    await ec2().send(new DeleteVpnConnectionRouteCommand(route));
    const deleting = await describeVpn(vpn.VpnConnectionId);
    wait(sim(), 'aws.vpnConnectionRoute.delete');
    const gone = await describeVpn(vpn.VpnConnectionId);
    const again = await failure(ec2().send(new DeleteVpnConnectionRouteCommand(route)));

    expect(deleting?.Routes?.[0]?.State).toBe('deleting');
    expect(gone?.Routes).toEqual([]);
    expect(again).toMatchObject({ name: 'InvalidRoute.NotFound', status: 400 });
  });
});
