import type VpcClient from '@alicloud/vpc20160428';
import {
  CreateCustomerGatewayRequest,
  CreateCustomerGatewayRequestTags,
  CreateRouteEntryRequest,
  CreateVpnConnectionRequest,
  CreateVpnConnectionRequestTags,
  CreateVpnConnectionRequestTunnelOptionsSpecification,
  CreateVpnConnectionRequestTunnelOptionsSpecificationTunnelIkeConfig,
  CreateVpnConnectionRequestTunnelOptionsSpecificationTunnelIpsecConfig,
  CreateVpnGatewayRequest,
  CreateVpnRouteEntryRequest,
  DeleteCustomerGatewayRequest,
  DeleteRouteEntryRequest,
  DeleteVpnConnectionRequest,
  DeleteVpnGatewayRequest,
  DeleteVpnRouteEntryRequest,
  DescribeCustomerGatewaysRequest,
  DescribeRouteEntryListRequest,
  DescribeRouteTableListRequest,
  DescribeVpcsRequest,
  DescribeVpnConnectionRequest,
  DescribeVpnConnectionsRequest,
  DescribeVpnGatewayAvailableZonesRequest,
  DescribeVpnGatewayRequest,
  DescribeVpnGatewaysRequest,
  DescribeVpnRouteEntriesRequest,
  DescribeVSwitchesRequest,
} from '@alicloud/vpc20160428';
import type {
  AlibabaCloud,
  AliCustomerGateway,
  AliRouteEntry,
  AliTunnel,
  AliVpnConnection,
  AliVpnGateway,
  AliVpnRouteEntry,
  GatewayKind,
  Tags,
} from '../types';
import { isAlibabaNotFound, mapAlibabaError } from './errors';

// The Alibaba half of vpn-bridge behind the small AlibabaCloud interface; the @alicloud/vpc20160428
// client is injected (one per region). The SDK never retries (alibaba.md §8): the state machine owns
// retries, every create carries a ClientToken derived from (connection, generation, step).

const PAGE = 50;

interface RawTunnel {
  tunnelId?: string;
  role?: string;
  customerGatewayId?: string;
  internetIp?: string;
  status?: string;
  state?: string;
  enableDpd?: string | boolean;
  tunnelIkeConfig?: Record<string, unknown>;
  tunnelIpsecConfig?: Record<string, unknown>;
}

interface RawConnection {
  vpnConnectionId?: string;
  name?: string;
  vpnGatewayId?: string;
  customerGatewayId?: string;
  status?: string;
  state?: string;
  localSubnet?: string;
  remoteSubnet?: string;
  effectImmediately?: boolean;
  enableDpd?: boolean;
  ikeConfig?: Record<string, unknown>;
  ipsecConfig?: Record<string, unknown>;
  tunnelOptionsSpecification?: { tunnelOptions?: RawTunnel[] };
}

const str = (v: unknown, d = ''): string => (v === undefined || v === null ? d : String(v));
const num = (v: unknown, d = 0): number => (v === undefined || v === null || v === '' ? d : Number(v));

function ike(c: Record<string, unknown> | undefined): AliTunnel['ike'] {
  return {
    IkeVersion: str(c?.ikeVersion),
    IkeMode: str(c?.ikeMode),
    IkeEncAlg: str(c?.ikeEncAlg),
    IkeAuthAlg: str(c?.ikeAuthAlg),
    IkePfs: str(c?.ikePfs),
    IkeLifetime: num(c?.ikeLifetime),
    Psk: str(c?.psk),
  };
}

function ipsec(c: Record<string, unknown> | undefined): AliTunnel['ipsec'] {
  return {
    IpsecEncAlg: str(c?.ipsecEncAlg),
    IpsecAuthAlg: str(c?.ipsecAuthAlg),
    IpsecPfs: str(c?.ipsecPfs),
    IpsecLifetime: num(c?.ipsecLifetime),
  };
}

/** single-tunnel connections do not report their source IP: it is the gateway's InternetIp */
function toConnection(c: RawConnection): AliVpnConnection {
  const dual = c.tunnelOptionsSpecification?.tunnelOptions ?? [];
  const tunnels: AliTunnel[] =
    dual.length > 0
      ? dual.map((t) => ({
          tunnelId: str(t.tunnelId),
          role: str(t.role),
          customerGatewayId: str(t.customerGatewayId),
          sourceIp: str(t.internetIp),
          status: str(t.status),
          state: str(t.state),
          ike: ike(t.tunnelIkeConfig),
          ipsec: ipsec(t.tunnelIpsecConfig),
          enableDpd: str(t.enableDpd) === 'true',
        }))
      : [
          {
            tunnelId: str(c.vpnConnectionId),
            role: 'master',
            customerGatewayId: str(c.customerGatewayId),
            sourceIp: '',
            status: str(c.status),
            state: str(c.state),
            ike: ike(c.ikeConfig),
            ipsec: ipsec(c.ipsecConfig),
            enableDpd: c.enableDpd !== false,
          },
        ];
  return {
    id: str(c.vpnConnectionId),
    name: str(c.name),
    vpnGatewayId: str(c.vpnGatewayId),
    status: str(c.status),
    state: str(c.state),
    localSubnet: str(c.localSubnet),
    remoteSubnet: str(c.remoteSubnet),
    effectImmediately: c.effectImmediately === true,
    tunnels,
  };
}

function toGateway(g: {
  vpnGatewayId?: string;
  name?: string;
  vpcId?: string;
  status?: string;
  internetIp?: string;
  disasterRecoveryInternetIp?: string;
  disasterRecoveryVSwitchId?: string;
}): AliVpnGateway {
  return {
    id: str(g.vpnGatewayId),
    name: str(g.name),
    vpcId: str(g.vpcId),
    status: str(g.status),
    internetIp: str(g.internetIp),
    disasterRecoveryInternetIp: str(g.disasterRecoveryInternetIp),
    kind: g.disasterRecoveryVSwitchId ? 'dual-tunnel' : 'single-tunnel',
  };
}

export class VpcAdapter implements AlibabaCloud {
  constructor(
    readonly region: string,
    private readonly client: VpcClient,
  ) {}

  private async call<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw mapAlibabaError(e, doing);
    }
  }

  private async gone(doing: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      if (isAlibabaNotFound(e)) return;
      throw mapAlibabaError(e, doing);
    }
  }

  async availableZones(gatewayType = 'Enhanced.SiteToSite'): Promise<string[]> {
    const r = await this.call('DescribeVpnGatewayAvailableZones', () =>
      this.client.describeVpnGatewayAvailableZones(
        new DescribeVpnGatewayAvailableZonesRequest({ regionId: this.region, spec: '10M', gatewayType }),
      ),
    );
    return (r.body?.availableZoneIdList ?? []).map((z) => str(z.zoneId)).filter(Boolean);
  }

  /**
   * Dual-tunnel gateways are the 'Enhanced.SiteToSite' gateway type; DescribeVpnGatewayAvailableZones
   * lists the zones that offer it. A region where none does only has single-tunnel ('Traditional')
   * gateways (interpretation; the region list itself is in alibaba.md §2.5).
   */
  async gatewayKind(): Promise<GatewayKind> {
    return (await this.availableZones('Enhanced.SiteToSite')).length > 0 ? 'dual-tunnel' : 'single-tunnel';
  }

  async describeVpc(vpcId: string) {
    try {
      const r = await this.client.describeVpcs(new DescribeVpcsRequest({ regionId: this.region, vpcId }));
      const v = r.body?.vpcs?.vpc?.[0];
      if (!v) return undefined;
      return { vpcId: str(v.vpcId), cidr: str(v.cidrBlock), systemRouteTableId: v.routerTableIds?.routerTableIds?.[0] };
    } catch (e) {
      if (isAlibabaNotFound(e)) return undefined;
      throw mapAlibabaError(e, `DescribeVpcs ${vpcId}`);
    }
  }

  async describeVSwitches(vpcId: string) {
    const out: Awaited<ReturnType<AlibabaCloud['describeVSwitches']>> = [];
    for (let page = 1; ; page++) {
      const r = await this.call('DescribeVSwitches', () =>
        this.client.describeVSwitches(
          new DescribeVSwitchesRequest({ regionId: this.region, vpcId, pageNumber: page, pageSize: PAGE }),
        ),
      );
      const items = r.body?.vSwitches?.vSwitch ?? [];
      out.push(
        ...items.map((s) => ({
          id: str(s.vSwitchId),
          vpcId: str(s.vpcId),
          zoneId: str(s.zoneId),
          cidr: str(s.cidrBlock),
        })),
      );
      if (items.length < PAGE || out.length >= num(r.body?.totalCount)) break;
    }
    return out;
  }

  async describeRouteTables(vpcId: string) {
    const out: Awaited<ReturnType<AlibabaCloud['describeRouteTables']>> = [];
    for (let page = 1; ; page++) {
      const r = await this.call('DescribeRouteTableList', () =>
        this.client.describeRouteTableList(
          new DescribeRouteTableListRequest({ regionId: this.region, vpcId, pageNumber: page, pageSize: PAGE }),
        ),
      );
      const items = r.body?.routerTableList?.routerTableListType ?? [];
      out.push(...items.map((t) => ({ id: str(t.routeTableId), vpcId: str(t.vpcId), type: str(t.routeTableType) })));
      if (items.length < PAGE || out.length >= num(r.body?.totalCount)) break;
    }
    return out;
  }

  async findVpnGateway(vpcId: string, name: string, opts: { includeDeleting?: boolean } = {}) {
    let deleting: AliVpnGateway | undefined;
    for (let page = 1; ; page++) {
      const r = await this.call('DescribeVpnGateways', () =>
        this.client.describeVpnGateways(
          new DescribeVpnGatewaysRequest({ regionId: this.region, vpcId, pageNumber: page, pageSize: PAGE }),
        ),
      );
      const items = r.body?.vpnGateways?.vpnGateway ?? [];
      const hit = items.find((g) => g.name === name && g.status !== 'deleting');
      if (hit) return toGateway(hit);
      const going = opts.includeDeleting ? items.find((g) => g.name === name && g.status === 'deleting') : undefined;
      deleting ??= going ? toGateway(going) : undefined;
      if (items.length < PAGE) return deleting;
    }
  }

  async listVpnGateways(): Promise<AliVpnGateway[]> {
    const out: AliVpnGateway[] = [];
    for (let page = 1; ; page++) {
      const r = await this.call('DescribeVpnGateways', () =>
        this.client.describeVpnGateways(
          new DescribeVpnGatewaysRequest({ regionId: this.region, pageNumber: page, pageSize: PAGE }),
        ),
      );
      const items = r.body?.vpnGateways?.vpnGateway ?? [];
      out.push(...items.map(toGateway));
      if (items.length < PAGE || out.length >= num(r.body?.totalCount)) break;
    }
    return out;
  }

  async describeVpnGateway(id: string) {
    try {
      const r = await this.client.describeVpnGateway(
        new DescribeVpnGatewayRequest({ regionId: this.region, vpnGatewayId: id }),
      );
      return r.body ? toGateway(r.body) : undefined;
    } catch (e) {
      if (isAlibabaNotFound(e)) return undefined;
      throw mapAlibabaError(e, `DescribeVpnGateway ${id}`);
    }
  }

  async createVpnGateway(args: Parameters<AlibabaCloud['createVpnGateway']>[0]) {
    const r = await this.call('CreateVpnGateway', () =>
      this.client.createVpnGateway(
        new CreateVpnGatewayRequest({
          regionId: this.region,
          vpcId: args.vpcId,
          name: args.name,
          bandwidth: args.bandwidthMbps,
          instanceChargeType: args.chargeType,
          period: args.periodMonths,
          vSwitchId: args.vSwitchId,
          disasterRecoveryVSwitchId: args.disasterRecoveryVSwitchId,
          enableIpsec: true,
          enableSsl: false,
          // without AutoPay the order stays unpaid and no gateway is ever built (alibaba.md §2.1)
          autoPay: true,
          clientToken: args.clientToken,
        }),
      ),
    );
    return { id: str(r.body?.vpnGatewayId) };
  }

  deleteVpnGateway(id: string, clientToken: string) {
    return this.gone(`DeleteVpnGateway ${id}`, () =>
      this.client.deleteVpnGateway(
        new DeleteVpnGatewayRequest({ regionId: this.region, vpnGatewayId: id, clientToken }),
      ),
    );
  }

  async listCustomerGateways(): Promise<AliCustomerGateway[]> {
    const out: AliCustomerGateway[] = [];
    for (let page = 1; ; page++) {
      const r = await this.call('DescribeCustomerGateways', () =>
        this.client.describeCustomerGateways(
          new DescribeCustomerGatewaysRequest({ regionId: this.region, pageNumber: page, pageSize: PAGE }),
        ),
      );
      const items = r.body?.customerGateways?.customerGateway ?? [];
      out.push(...items.map((c) => ({ id: str(c.customerGatewayId), ipAddress: str(c.ipAddress), name: str(c.name) })));
      if (items.length < PAGE || out.length >= num(r.body?.totalCount)) break;
    }
    return out;
  }

  async createCustomerGateway(args: { ipAddress: string; name: string; tags: Tags; clientToken: string }) {
    const r = await this.call(`CreateCustomerGateway ${args.ipAddress}`, () =>
      this.client.createCustomerGateway(
        new CreateCustomerGatewayRequest({
          regionId: this.region,
          ipAddress: args.ipAddress,
          name: args.name,
          clientToken: args.clientToken,
          tags: Object.entries(args.tags).map(([key, value]) => new CreateCustomerGatewayRequestTags({ key, value })),
        }),
      ),
    );
    return { id: str(r.body?.customerGatewayId) };
  }

  deleteCustomerGateway(id: string, clientToken: string) {
    return this.gone(`DeleteCustomerGateway ${id}`, () =>
      this.client.deleteCustomerGateway(
        new DeleteCustomerGatewayRequest({ regionId: this.region, customerGatewayId: id, clientToken }),
      ),
    );
  }

  async listVpnConnections(vpnGatewayId?: string): Promise<AliVpnConnection[]> {
    const out: AliVpnConnection[] = [];
    for (let page = 1; ; page++) {
      const r = await this.call('DescribeVpnConnections', () =>
        this.client.describeVpnConnections(
          new DescribeVpnConnectionsRequest({ regionId: this.region, vpnGatewayId, pageNumber: page, pageSize: PAGE }),
        ),
      );
      const items = (r.body?.vpnConnections?.vpnConnection ?? []) as unknown as RawConnection[];
      for (const c of items) out.push(toConnection(c));
      if (items.length < PAGE || out.length >= num(r.body?.totalCount)) break;
    }
    return out;
  }

  async describeVpnConnection(id: string) {
    try {
      const r = await this.client.describeVpnConnection(
        new DescribeVpnConnectionRequest({ regionId: this.region, vpnConnectionId: id }),
      );
      return r.body ? toConnection(r.body as unknown as RawConnection) : undefined;
    } catch (e) {
      if (isAlibabaNotFound(e)) return undefined;
      throw mapAlibabaError(e, `DescribeVpnConnection ${id}`);
    }
  }

  async createVpnConnection(args: Parameters<AlibabaCloud['createVpnConnection']>[0]) {
    const tags = Object.entries(args.tags).map(([key, value]) => new CreateVpnConnectionRequestTags({ key, value }));
    const common = {
      regionId: this.region,
      vpnGatewayId: args.vpnGatewayId,
      name: args.name,
      localSubnet: args.localSubnet,
      remoteSubnet: args.remoteSubnet,
      effectImmediately: true,
      autoConfigRoute: false,
      clientToken: args.clientToken,
      tags,
    };
    let req: CreateVpnConnectionRequest;
    if (args.mode === 'single-tunnel') {
      const t = args.tunnels[0];
      if (!t || args.tunnels.length !== 1) throw new Error('a single-tunnel connection takes exactly one tunnel');
      req = new CreateVpnConnectionRequest({
        ...common,
        customerGatewayId: t.customerGatewayId,
        ikeConfig: JSON.stringify(t.ike),
        ipsecConfig: JSON.stringify(t.ipsec),
        enableDpd: true,
        enableNatTraversal: true,
      });
    } else {
      req = new CreateVpnConnectionRequest({
        ...common,
        tunnelOptionsSpecification: args.tunnels.map(
          (t) =>
            new CreateVpnConnectionRequestTunnelOptionsSpecification({
              customerGatewayId: t.customerGatewayId,
              role: t.role,
              enableDpd: true,
              enableNatTraversal: true,
              tunnelIkeConfig: new CreateVpnConnectionRequestTunnelOptionsSpecificationTunnelIkeConfig({
                ikeVersion: t.ike.IkeVersion,
                ikeMode: t.ike.IkeMode,
                ikeEncAlg: t.ike.IkeEncAlg,
                ikeAuthAlg: t.ike.IkeAuthAlg,
                ikePfs: t.ike.IkePfs,
                ikeLifetime: t.ike.IkeLifetime,
                psk: t.ike.Psk,
              }),
              tunnelIpsecConfig: new CreateVpnConnectionRequestTunnelOptionsSpecificationTunnelIpsecConfig({
                ipsecEncAlg: t.ipsec.IpsecEncAlg,
                ipsecAuthAlg: t.ipsec.IpsecAuthAlg,
                ipsecPfs: t.ipsec.IpsecPfs,
                ipsecLifetime: t.ipsec.IpsecLifetime,
              }),
            }),
        ),
      });
    }
    const r = await this.call(`CreateVpnConnection ${args.name}`, () => this.client.createVpnConnection(req));
    return { id: str(r.body?.vpnConnectionId) };
  }

  deleteVpnConnection(id: string, clientToken: string) {
    return this.gone(`DeleteVpnConnection ${id}`, () =>
      this.client.deleteVpnConnection(
        new DeleteVpnConnectionRequest({ regionId: this.region, vpnConnectionId: id, clientToken }),
      ),
    );
  }

  async listVpnRouteEntries(vpnGatewayId: string): Promise<AliVpnRouteEntry[]> {
    const out: AliVpnRouteEntry[] = [];
    for (let page = 1; ; page++) {
      const r = await this.call('DescribeVpnRouteEntries', () =>
        this.client.describeVpnRouteEntries(
          new DescribeVpnRouteEntriesRequest({ regionId: this.region, vpnGatewayId, pageNumber: page, pageSize: PAGE }),
        ),
      );
      const items = r.body?.vpnRouteEntries?.vpnRouteEntry ?? [];
      out.push(
        ...items.map((e) => ({
          routeDest: str(e.routeDest),
          nextHop: str(e.nextHop),
          weight: num(e.weight),
          state: str(e.state),
        })),
      );
      if (items.length < PAGE || out.length >= num(r.body?.totalCount)) break;
    }
    return out;
  }

  async createVpnRouteEntry(args: Parameters<AlibabaCloud['createVpnRouteEntry']>[0]) {
    await this.call(`CreateVpnRouteEntry ${args.routeDest} via ${args.nextHop}`, () =>
      this.client.createVpnRouteEntry(
        new CreateVpnRouteEntryRequest({
          regionId: this.region,
          vpnGatewayId: args.vpnGatewayId,
          routeDest: args.routeDest,
          nextHop: args.nextHop,
          weight: args.weight,
          publishVpc: false,
          overlayMode: 'Ipsec',
          clientToken: args.clientToken,
        }),
      ),
    );
  }

  deleteVpnRouteEntry(args: Parameters<AlibabaCloud['deleteVpnRouteEntry']>[0]) {
    return this.gone(`DeleteVpnRouteEntry ${args.routeDest} via ${args.nextHop}`, () =>
      this.client.deleteVpnRouteEntry(
        new DeleteVpnRouteEntryRequest({
          regionId: this.region,
          vpnGatewayId: args.vpnGatewayId,
          routeDest: args.routeDest,
          nextHop: args.nextHop,
          weight: args.weight,
          overlayMode: 'Ipsec',
          clientToken: args.clientToken,
        }),
      ),
    );
  }

  async listRouteEntries(
    routeTableId: string,
    filter: { destination?: string; nextHopId?: string } = {},
  ): Promise<AliRouteEntry[]> {
    const out: AliRouteEntry[] = [];
    let token: string | undefined;
    do {
      const r = await this.call('DescribeRouteEntryList', () =>
        this.client.describeRouteEntryList(
          new DescribeRouteEntryListRequest({
            regionId: this.region,
            routeTableId,
            destinationCidrBlock: filter.destination,
            nextHopId: filter.nextHopId,
            maxResult: 100,
            nextToken: token,
          }),
        ),
      );
      for (const e of r.body?.routeEntrys?.routeEntry ?? []) {
        const hop = e.nextHops?.nextHop?.[0];
        out.push({
          id: str(e.routeEntryId),
          routeTableId: str(e.routeTableId),
          destination: str(e.destinationCidrBlock),
          nextHopType: str(hop?.nextHopType),
          nextHopId: str(hop?.nextHopId),
          status: str(e.status),
        });
      }
      token = r.body?.nextToken || undefined;
    } while (token);
    return out;
  }

  async createRouteEntry(args: Parameters<AlibabaCloud['createRouteEntry']>[0]) {
    const r = await this.call(`CreateRouteEntry ${args.destination} in ${args.routeTableId}`, () =>
      this.client.createRouteEntry(
        new CreateRouteEntryRequest({
          regionId: this.region,
          routeTableId: args.routeTableId,
          destinationCidrBlock: args.destination,
          nextHopType: 'VpnGateway',
          nextHopId: args.vpnGatewayId,
          routeEntryName: args.name,
          clientToken: args.clientToken,
        }),
      ),
    );
    return { id: str(r.body?.routeEntryId) };
  }

  deleteRouteEntry(args: Parameters<AlibabaCloud['deleteRouteEntry']>[0]) {
    return this.gone(`DeleteRouteEntry ${args.destination} in ${args.routeTableId}`, () =>
      this.client.deleteRouteEntry(
        new DeleteRouteEntryRequest({
          regionId: this.region,
          routeEntryId: args.routeEntryId || undefined,
          routeTableId: args.routeTableId,
          destinationCidrBlock: args.destination,
          nextHopId: args.nextHopId,
        }),
      ),
    );
  }
}
