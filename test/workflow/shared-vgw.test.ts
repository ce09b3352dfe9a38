import {
  AttachVpnGatewayCommand,
  CreateVpnGatewayCommand,
  DescribeVpnGatewaysCommand,
  type VpnGateway,
} from '@aws-sdk/client-ec2';
import { demoSpec } from '../../local/demo';
import { operatorDeps } from '../../local/operator';
import type { ConnectionRecord } from '../../src/registry/record';
import type { ConnectionSpecInput } from '../../src/spec';
import { runDriftCheck } from '../../src/workflow/drift';
import { clientsFor } from '../helpers/sim';
import { type DriftWorld, provisionConnection, resetWorld, useDriftWorld } from './drift-world';
import { driftOf, gatewayRoutes, SECOND_CIDR, secondAlibabaVpc, teardown } from './hub-helpers';

// One AWS VPC, two connections (issue 11): to the seeded Alibaba VPC in eu-central-1 (dual-tunnel) and to a VPC with
// another CIDR created in me-east-1 through CreateVpc (single-tunnel). Both share the VPC's one VGW (`aws.attach`
// defaults to `vpnGateway: auto`); tearing one down leaves the other ACTIVE with its routes; the last teardown deletes
// the VGW vpn-bridge made, and never one it adopted. Everything through the state machines and the real SDKs.

const world = useDriftWorld(1000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function specs(w: DriftWorld): Promise<[ConnectionSpecInput, ConnectionSpecInput]> {
  const first = await demoSpec(w.url, {
    name: 'hub-frankfurt',
    alibabaRegion: 'eu-central-1',
    profile: 'recommended',
    psk: 'generated',
  });
  const seeded = await demoSpec(w.url, {
    name: 'hub-dubai',
    alibabaRegion: 'me-east-1',
    profile: 'recommended',
    psk: 'generated',
  });
  const vpcId = await secondAlibabaVpc(w);
  return [first, { ...seeded, alibaba: { region: 'me-east-1', vpcId, cidr: SECOND_CIDR } }];
}

async function record(name: string): Promise<ConnectionRecord> {
  const got = await operatorDeps().registry.get(name);
  if (!got) throw new Error(`no record ${name}`);
  return got.record;
}

async function vgw(w: DriftWorld, id: string): Promise<VpnGateway | undefined> {
  const r = await clientsFor(w.sim)
    .ec2()
    .send(new DescribeVpnGatewaysCommand({ Filters: [{ Name: 'vpn-gateway-id', Values: [id] }] }));
  return r.VpnGateways?.[0];
}

describe('two connections from one AWS VPC on the VGW vpn-bridge made', () => {
  let first: ConnectionSpecInput;
  let second: ConnectionSpecInput;

  beforeAll(async () => {
    const w = world();
    await resetWorld(w);
    [first, second] = await specs(w);
  });

  it('both reach ACTIVE on one VGW, which the records say vpn-bridge created', async () => {
    // Prepare
    const w = world();

    // Act
    await provisionConnection(w, first);
    await provisionConnection(w, second);

    // Assert
    const [a, b] = [await record(first.name), await record(second.name)];
    expect([a.status, b.status]).toEqual(['ACTIVE', 'ACTIVE']);
    expect([a.topology, b.topology]).toEqual(['dual-tunnel', 'single-tunnel']);
    const id = a.resources.aws.vpnGatewayId ?? '';
    expect(id).toMatch(/^vgw-/);
    expect(b.resources.aws.vpnGatewayId).toBe(id);
    expect([a.resources.aws.vpnGatewayOrigin, b.resources.aws.vpnGatewayOrigin]).toEqual(['created', 'created']);
    expect(await gatewayRoutes(w, first.aws.vpcId)).toEqual([`${SECOND_CIDR} -> ${id}`, `192.168.0.0/16 -> ${id}`]);
    expect(await driftOf(first.name)).toEqual({ status: 'clean', rows: [] });
    expect(await driftOf(second.name)).toEqual({ status: 'clean', rows: [] });
  });

  it('tearing the first down leaves the VGW and the second connection ACTIVE with its routes', async () => {
    // Prepare
    const w = world();
    const id = (await record(second.name)).resources.aws.vpnGatewayId ?? '';

    // Act
    await teardown(w, first.name);

    // Assert
    expect((await record(first.name)).status).toBe('DELETED');
    expect((await record(second.name)).status).toBe('ACTIVE');
    const g = await vgw(w, id);
    expect(g?.State).toBe('available');
    expect(g?.VpcAttachments?.map((x) => `${x.VpcId} ${x.State}`)).toEqual([`${first.aws.vpcId} attached`]);
    expect(await gatewayRoutes(w, first.aws.vpcId)).toEqual([`${SECOND_CIDR} -> ${id}`]);
    // the second connection: clean (tunnels UP, routes there), and the VGW its torn-down creator tagged is no orphan
    expect(await driftOf(second.name)).toEqual({ status: 'clean', rows: [] });
    const all = await runDriftCheck(operatorDeps(), {});
    expect(all.results.flatMap((r) => r.rows ?? []).filter((r) => r.resource === `vpn-gateway/${id}`)).toEqual([]);
  });

  it('the last teardown deletes the VGW vpn-bridge made', async () => {
    // Prepare
    const w = world();
    const id = (await record(second.name)).resources.aws.vpnGatewayId ?? '';

    // Act
    await teardown(w, second.name);

    // Assert
    expect((await record(second.name)).status).toBe('DELETED');
    const g = await vgw(w, id);
    expect(g === undefined || g.State === 'deleted').toBe(true);
    expect(await gatewayRoutes(w, first.aws.vpcId)).toEqual([]);
  });
});

describe('two connections from one AWS VPC on a VGW the user attached (adopted, and named)', () => {
  let first: ConnectionSpecInput;
  let second: ConnectionSpecInput;
  let userVgw = '';

  beforeAll(async () => {
    const w = world();
    await resetWorld(w);
    [first, second] = await specs(w);
    const ec2 = clientsFor(w.sim).ec2();
    userVgw = (await ec2.send(new CreateVpnGatewayCommand({ Type: 'ipsec.1' }))).VpnGateway?.VpnGatewayId ?? '';
    for (let i = 0; i < 500 && (await vgw(w, userVgw))?.State !== 'available'; i++) await sleep(10);
    await ec2.send(new AttachVpnGatewayCommand({ VpnGatewayId: userVgw, VpcId: first.aws.vpcId }));
    for (let i = 0; i < 500 && (await vgw(w, userVgw))?.VpcAttachments?.[0]?.State !== 'attached'; i++) await sleep(10);
    // the first adopts it (vpnGateway: auto, the default), the second names it
    second = { ...second, aws: { ...second.aws, attach: { vpnGateway: userVgw } } };
  });

  it('both reach ACTIVE on the user’s VGW, which the records say was adopted', async () => {
    // Prepare
    const w = world();

    // Act
    await provisionConnection(w, first);
    await provisionConnection(w, second);

    // Assert
    const [a, b] = [await record(first.name), await record(second.name)];
    expect([a.status, b.status]).toEqual(['ACTIVE', 'ACTIVE']);
    expect([a.resources.aws.vpnGatewayId, b.resources.aws.vpnGatewayId]).toEqual([userVgw, userVgw]);
    expect([a.resources.aws.vpnGatewayOrigin, b.resources.aws.vpnGatewayOrigin]).toEqual(['adopted', 'adopted']);
    expect(await gatewayRoutes(w, first.aws.vpcId)).toEqual([
      `${SECOND_CIDR} -> ${userVgw}`,
      `192.168.0.0/16 -> ${userVgw}`,
    ]);
    expect(await driftOf(first.name)).toEqual({ status: 'clean', rows: [] });
    expect(await driftOf(second.name)).toEqual({ status: 'clean', rows: [] });
  });

  it('tearing both down leaves the adopted VGW attached, with no route of theirs', async () => {
    // Prepare
    const w = world();

    // Act
    await teardown(w, first.name);
    const between = await driftOf(second.name);
    await teardown(w, second.name);

    // Assert
    expect(between).toEqual({ status: 'clean', rows: [] });
    const g = await vgw(w, userVgw);
    expect(g?.State).toBe('available');
    expect(g?.VpcAttachments?.map((x) => `${x.VpcId} ${x.State}`)).toEqual([`${first.aws.vpcId} attached`]);
    expect(await gatewayRoutes(w, first.aws.vpcId)).toEqual([]);
  });
});
