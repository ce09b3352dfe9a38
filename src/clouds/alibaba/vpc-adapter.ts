import type {
  AlibabaCloud,
  AliCustomerGateway,
  AliRouteEntry,
  AliTunnel,
  AliVpnConnection,
  AliVpnGateway,
  AliVpnRouteEntry,
  Tags,
} from '../types';
import { isAlibabaNotFound, mapAlibabaError } from './errors';
import type { AlibabaRpc } from './rpc-client';

// The Alibaba half of vpn-bridge behind the small AlibabaCloud interface; an RPC client (rpc-client.ts,
// @alicloud/openapi-core) is injected, one per region. It never retries (docs/sources.md#alibaba-cloud-alibaba): the state machine
// owns retries, and every create carries a ClientToken derived from (connection, generation, step).
// Requests use the API's own parameter names; answers arrive camel-cased as the SDK models would have them.

const PAGE = 50;

type Json = Record<string, unknown>;
interface RawGateway {
  vpnGatewayId?: string;
  name?: string;
  vpcId?: string;
  status?: string;
  internetIp?: string;
  disasterRecoveryInternetIp?: string;
  disasterRecoveryVSwitchId?: string;
}
const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const tagList = (t: Tags) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));

interface RawTunnel {
  tunnelId?: string;
  role?: string;
  customerGatewayId?: string;
  internetIp?: string;
  status?: string;
  state?: string;
  enableDpd?: string | boolean;
  enableNatTraversal?: string | boolean;
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
  enableNatTraversal?: boolean;
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
    LocalId: str(c?.localId),
    RemoteId: str(c?.remoteId),
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
          enableNatTraversal: str(t.enableNatTraversal) !== 'false',
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
            enableNatTraversal: c.enableNatTraversal !== false,
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
    private readonly rpc: AlibabaRpc,
  ) {}

  private async call(doing: string, action: string, params: Json, bodyParams?: Json): Promise<Json> {
    try {
      return await this.rpc.call(action, { RegionId: this.region, ...params }, bodyParams);
    } catch (e) {
      throw mapAlibabaError(e, doing);
    }
  }

  /** a describe by id: not-found is undefined */
  private async maybe(doing: string, action: string, params: Json): Promise<Json | undefined> {
    try {
      return await this.rpc.call(action, { RegionId: this.region, ...params });
    } catch (e) {
      if (isAlibabaNotFound(e)) return undefined;
      throw mapAlibabaError(e, doing);
    }
  }

  /** a delete: not-found means it is already gone */
  private async gone(doing: string, action: string, params: Json): Promise<void> {
    try {
      await this.rpc.call(action, { RegionId: this.region, ...params });
    } catch (e) {
      if (isAlibabaNotFound(e)) return;
      throw mapAlibabaError(e, doing);
    }
  }

  /** every page of a PageNumber/PageSize listing */
  private async pages<T>(doing: string, action: string, params: Json, items: (r: Json) => unknown): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; ; page++) {
      const r = await this.call(doing, action, { ...params, PageNumber: page, PageSize: PAGE });
      const got = list<T>(items(r));
      out.push(...got);
      if (got.length < PAGE || out.length >= num(r.totalCount)) return out;
    }
  }

  async availableZones(gatewayType: 'Traditional' | 'Enhanced.SiteToSite', bandwidthMbps: number): Promise<string[]> {
    const r = await this.call('DescribeVpnGatewayAvailableZones', 'DescribeVpnGatewayAvailableZones', {
      Spec: `${bandwidthMbps}M`,
      GatewayType: gatewayType,
    });
    return list<{ zoneId?: string }>(r.availableZoneIdList)
      .map((z) => str(z.zoneId))
      .filter(Boolean);
  }

  async describeVpc(vpcId: string) {
    const r = await this.maybe(`DescribeVpcs ${vpcId}`, 'DescribeVpcs', { VpcId: vpcId });
    const v = list<{ vpcId?: string; cidrBlock?: string; routerTableIds?: { routerTableIds?: string[] } }>(
      (r?.vpcs as Json | undefined)?.vpc,
    )[0];
    if (!v) return undefined;
    return { vpcId: str(v.vpcId), cidr: str(v.cidrBlock), systemRouteTableId: v.routerTableIds?.routerTableIds?.[0] };
  }

  async describeVSwitches(vpcId: string) {
    const items = await this.pages<{ vSwitchId?: string; vpcId?: string; zoneId?: string; cidrBlock?: string }>(
      'DescribeVSwitches',
      'DescribeVSwitches',
      { VpcId: vpcId },
      (r) => (r.vSwitches as Json | undefined)?.vSwitch,
    );
    return items.map((s) => ({
      id: str(s.vSwitchId),
      vpcId: str(s.vpcId),
      zoneId: str(s.zoneId),
      cidr: str(s.cidrBlock),
    }));
  }

  async describeRouteTables(vpcId: string) {
    const items = await this.pages<{ routeTableId?: string; vpcId?: string; routeTableType?: string }>(
      'DescribeRouteTableList',
      'DescribeRouteTableList',
      { VpcId: vpcId },
      (r) => (r.routerTableList as Json | undefined)?.routerTableListType,
    );
    return items.map((t) => ({ id: str(t.routeTableId), vpcId: str(t.vpcId), type: str(t.routeTableType) }));
  }

  async findVpnGateway(vpcId: string, name: string, opts: { includeDeleting?: boolean } = {}) {
    let deleting: AliVpnGateway | undefined;
    for (let page = 1; ; page++) {
      const r = await this.call('DescribeVpnGateways', 'DescribeVpnGateways', {
        VpcId: vpcId,
        PageNumber: page,
        PageSize: PAGE,
      });
      const items = list<RawGateway>((r.vpnGateways as Json | undefined)?.vpnGateway);
      const hit = items.find((g) => g.name === name && g.status !== 'deleting');
      if (hit) return toGateway(hit);
      const going = opts.includeDeleting ? items.find((g) => g.name === name && g.status === 'deleting') : undefined;
      deleting ??= going ? toGateway(going) : undefined;
      if (items.length < PAGE) return deleting;
    }
  }

  async listVpnGateways(): Promise<AliVpnGateway[]> {
    const items = await this.pages<RawGateway>(
      'DescribeVpnGateways',
      'DescribeVpnGateways',
      {},
      (r) => (r.vpnGateways as Json | undefined)?.vpnGateway,
    );
    return items.map(toGateway);
  }

  async createVpnGateway(args: Parameters<AlibabaCloud['createVpnGateway']>[0]) {
    const r = await this.call('CreateVpnGateway', 'CreateVpnGateway', {
      VpcId: args.vpcId,
      Name: args.name,
      Bandwidth: args.bandwidthMbps,
      InstanceChargeType: args.chargeType,
      Period: args.periodMonths,
      VSwitchId: args.vSwitchId,
      DisasterRecoveryVSwitchId: args.disasterRecoveryVSwitchId,
      EnableIpsec: true,
      EnableSsl: false,
      // without AutoPay the order stays unpaid and no gateway is ever built (docs/sources.md#alibaba-cloud-alibaba)
      AutoPay: true,
      ClientToken: args.clientToken,
    });
    return { id: str(r.vpnGatewayId) };
  }

  deleteVpnGateway(id: string, clientToken: string) {
    return this.gone(`DeleteVpnGateway ${id}`, 'DeleteVpnGateway', { VpnGatewayId: id, ClientToken: clientToken });
  }

  async listCustomerGateways(): Promise<AliCustomerGateway[]> {
    const items = await this.pages<{ customerGatewayId?: string; ipAddress?: string; name?: string }>(
      'DescribeCustomerGateways',
      'DescribeCustomerGateways',
      {},
      (r) => (r.customerGateways as Json | undefined)?.customerGateway,
    );
    return items.map((c) => ({ id: str(c.customerGatewayId), ipAddress: str(c.ipAddress), name: str(c.name) }));
  }

  async createCustomerGateway(args: { ipAddress: string; name: string; tags: Tags; clientToken: string }) {
    const r = await this.call(`CreateCustomerGateway ${args.ipAddress}`, 'CreateCustomerGateway', {
      IpAddress: args.ipAddress,
      Name: args.name,
      ClientToken: args.clientToken,
      Tags: tagList(args.tags),
    });
    return { id: str(r.customerGatewayId) };
  }

  deleteCustomerGateway(id: string, clientToken: string) {
    return this.gone(`DeleteCustomerGateway ${id}`, 'DeleteCustomerGateway', {
      CustomerGatewayId: id,
      ClientToken: clientToken,
    });
  }

  async listVpnConnections(vpnGatewayId?: string): Promise<AliVpnConnection[]> {
    const items = await this.pages<RawConnection>(
      'DescribeVpnConnections',
      'DescribeVpnConnections',
      { VpnGatewayId: vpnGatewayId },
      (r) => (r.vpnConnections as Json | undefined)?.vpnConnection,
    );
    return items.map(toConnection);
  }

  async createVpnConnection(args: Parameters<AlibabaCloud['createVpnConnection']>[0]) {
    const common: Json = {
      VpnGatewayId: args.vpnGatewayId,
      Name: args.name,
      LocalSubnet: args.localSubnet,
      RemoteSubnet: args.remoteSubnet,
      EffectImmediately: true,
      AutoConfigRoute: false,
      ClientToken: args.clientToken,
      Tags: tagList(args.tags),
    };
    const doing = `CreateVpnConnection ${args.name}`;
    let r: Json;
    if (args.mode === 'single-tunnel') {
      const t = args.tunnels[0];
      if (!t || args.tunnels.length !== 1) throw new Error('a single-tunnel connection takes exactly one tunnel');
      // single-tunnel crypto travels as JSON strings (docs/sources.md#alibaba-cloud-alibaba)
      r = await this.call(doing, 'CreateVpnConnection', {
        ...common,
        CustomerGatewayId: t.customerGatewayId,
        IkeConfig: JSON.stringify(t.ike),
        IpsecConfig: JSON.stringify(t.ipsec),
        EnableDpd: true,
        EnableNatTraversal: true,
      });
    } else {
      // dual-tunnel options go in the form body, as the SDK sends them (docs/sources.md#alibaba-cloud-alibaba)
      r = await this.call(doing, 'CreateVpnConnection', common, {
        TunnelOptionsSpecification: args.tunnels.map((t) => ({
          CustomerGatewayId: t.customerGatewayId,
          Role: t.role,
          EnableDpd: true,
          EnableNatTraversal: true,
          TunnelIkeConfig: { ...t.ike },
          TunnelIpsecConfig: { ...t.ipsec },
        })),
      });
    }
    return { id: str(r.vpnConnectionId) };
  }

  deleteVpnConnection(id: string, clientToken: string) {
    return this.gone(`DeleteVpnConnection ${id}`, 'DeleteVpnConnection', {
      VpnConnectionId: id,
      ClientToken: clientToken,
    });
  }

  async setTunnelPsk(args: Parameters<AlibabaCloud['setTunnelPsk']>[0]): Promise<void> {
    const doing = `set the pre-shared key of ${args.vpnConnectionId}${args.tunnelId ? ` tunnel ${args.tunnelId}` : ''}`;
    if (args.mode === 'single-tunnel') {
      // single-tunnel crypto travels as a JSON string; keys not given keep their values (docs/sources.md#alibaba-cloud-alibaba)
      await this.call(doing, 'ModifyVpnConnectionAttribute', {
        VpnConnectionId: args.vpnConnectionId,
        IkeConfig: JSON.stringify({ Psk: args.psk }),
        ClientToken: args.clientToken,
      });
      return;
    }
    if (!args.tunnelId) throw new Error('a dual-tunnel connection changes a tunnel by its id');
    await this.call(
      doing,
      'ModifyTunnelAttribute',
      { VpnConnectionId: args.vpnConnectionId, TunnelId: args.tunnelId, ClientToken: args.clientToken },
      { TunnelOptionsSpecification: { TunnelIkeConfig: { Psk: args.psk } } },
    );
  }

  async listVpnRouteEntries(vpnGatewayId: string): Promise<AliVpnRouteEntry[]> {
    const items = await this.pages<{ routeDest?: string; nextHop?: string; weight?: number; state?: string }>(
      'DescribeVpnRouteEntries',
      'DescribeVpnRouteEntries',
      { VpnGatewayId: vpnGatewayId },
      (r) => (r.vpnRouteEntries as Json | undefined)?.vpnRouteEntry,
    );
    return items.map((e) => ({
      routeDest: str(e.routeDest),
      nextHop: str(e.nextHop),
      weight: num(e.weight),
      state: str(e.state),
    }));
  }

  async createVpnRouteEntry(args: Parameters<AlibabaCloud['createVpnRouteEntry']>[0]) {
    await this.call(`CreateVpnRouteEntry ${args.routeDest} via ${args.nextHop}`, 'CreateVpnRouteEntry', {
      VpnGatewayId: args.vpnGatewayId,
      RouteDest: args.routeDest,
      NextHop: args.nextHop,
      Weight: args.weight,
      PublishVpc: false,
      OverlayMode: 'Ipsec',
      ClientToken: args.clientToken,
    });
  }

  deleteVpnRouteEntry(args: Parameters<AlibabaCloud['deleteVpnRouteEntry']>[0]) {
    return this.gone(`DeleteVpnRouteEntry ${args.routeDest} via ${args.nextHop}`, 'DeleteVpnRouteEntry', {
      VpnGatewayId: args.vpnGatewayId,
      RouteDest: args.routeDest,
      NextHop: args.nextHop,
      Weight: args.weight,
      OverlayMode: 'Ipsec',
      ClientToken: args.clientToken,
    });
  }

  async listRouteEntries(
    routeTableId: string,
    filter: { destination?: string; nextHopId?: string } = {},
  ): Promise<AliRouteEntry[]> {
    const out: AliRouteEntry[] = [];
    let token: string | undefined;
    do {
      const r = await this.call('DescribeRouteEntryList', 'DescribeRouteEntryList', {
        RouteTableId: routeTableId,
        DestinationCidrBlock: filter.destination,
        NextHopId: filter.nextHopId,
        MaxResult: 100,
        NextToken: token,
      });
      for (const e of list<{
        routeEntryId?: string;
        routeTableId?: string;
        destinationCidrBlock?: string;
        status?: string;
        nextHops?: { nextHop?: Array<{ nextHopType?: string; nextHopId?: string }> };
      }>((r.routeEntrys as Json | undefined)?.routeEntry)) {
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
      token = str(r.nextToken) || undefined;
    } while (token);
    return out;
  }

  async createRouteEntry(args: Parameters<AlibabaCloud['createRouteEntry']>[0]) {
    const r = await this.call(`CreateRouteEntry ${args.destination} in ${args.routeTableId}`, 'CreateRouteEntry', {
      RouteTableId: args.routeTableId,
      DestinationCidrBlock: args.destination,
      NextHopType: 'VpnGateway',
      NextHopId: args.vpnGatewayId,
      RouteEntryName: args.name,
      ClientToken: args.clientToken,
    });
    return { id: str(r.routeEntryId) };
  }

  deleteRouteEntry(args: Parameters<AlibabaCloud['deleteRouteEntry']>[0]) {
    return this.gone(`DeleteRouteEntry ${args.destination} in ${args.routeTableId}`, 'DeleteRouteEntry', {
      RouteEntryId: args.routeEntryId || undefined,
      RouteTableId: args.routeTableId,
      DestinationCidrBlock: args.destination,
      NextHopId: args.nextHopId,
    });
  }
}
