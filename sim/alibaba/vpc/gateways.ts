import { SimError } from '../../core/errors';
import type { AliRegionState, AliVpnGateway, AliVSwitch } from '../../types';
import type { Body, Handler } from './common';
import { illegal, missing, notFound, quotaFull, vpnGatewayNotFound } from './errors';
import { assertGatewayIdle, findGateway } from './gateway-tasks';
import { pageOf, paginate, tagFilter } from './params';

// VPN gateways (docs/sources.md#alibaba-cloud-alibaba): CreateVpnGateway is a paid order; the gateway is asynchronous
// (`provisioning` -> `active`) and gets its public IP(s) only when active.

/** international site, public gateways (docs/sources.md#alibaba-cloud-alibaba); private gateways: 200 or 1000 */
const PUBLIC_BANDWIDTHS = [10, 100, 200, 500, 1000];
const PRIVATE_BANDWIDTHS = [200, 1000];
const PREPAY_PERIODS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36];
const SSL_CONNECTIONS = [5, 10, 20, 50, 100, 200, 500, 1000];
/** 30 VPN gateways per account (2021 limit, docs/sources.md#alibaba-cloud-alibaba) */
const GATEWAY_QUOTA = 30;
const NAME_RE = /^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5_.-]{1,99}$/;
const MONTH_MS = 30 * 24 * 3600 * 1000;

/** the system labels the real API returns in the `Tag` JSON string (docs/sources.md#alibaba-cloud-alibaba) */
function systemLabels(gw: AliVpnGateway): string {
  const labels: Record<string, string> = {
    VpnEnableBgp: 'true',
    VisuallySsl: 'true',
    PbrPriority: 'true',
    VpnNewImage: 'true',
    VpnVersion: 'v1.2.4',
  };
  if (gw.GatewayType === 'Enhanced.SiteToSite') labels.IDaaSNewVersion = 'true';
  return JSON.stringify(labels);
}

/**
 * A gateway that can make dual-tunnel IPsec connections: the API returns DisasterRecoveryVSwitchId and
 * DisasterRecoveryInternetIp "only for VPN gateway instances that support creating dual-tunnel IPsec-VPN
 * connections" (DescribeVpnGateway reference). Its GatewayType (Traditional / Enhanced.SiteToSite) is another matter.
 */
export function isDualTunnel(gw: AliVpnGateway): boolean {
  return gw.DisasterRecoveryVSwitchId !== undefined;
}

export function renderGateway(gw: AliVpnGateway): Body {
  const dual = isDualTunnel(gw);
  return {
    VpnGatewayId: gw.VpnGatewayId,
    VpcId: gw.VpcId,
    VSwitchId: gw.VSwitchId,
    ...(dual ? { DisasterRecoveryVSwitchId: gw.DisasterRecoveryVSwitchId ?? '' } : {}),
    Name: gw.Name,
    Description: gw.Description ?? '',
    Status: gw.Status,
    BusinessStatus: gw.BusinessStatus,
    InternetIp: gw.InternetIp,
    ...(dual ? { DisasterRecoveryInternetIp: gw.DisasterRecoveryInternetIp ?? '' } : {}),
    ...(dual && gw.SslVpn === 'enable' ? { SslVpnInternetIp: gw.SslVpnInternetIp ?? '' } : {}),
    Spec: gw.Spec,
    ChargeType: gw.ChargeType,
    IpsecVpn: gw.IpsecVpn,
    SslVpn: gw.SslVpn,
    SslMaxConnections: gw.SslMaxConnections,
    NetworkType: gw.NetworkType,
    GatewayType: gw.GatewayType,
    VpnType: gw.VpnType,
    EnableBgp: gw.EnableBgp,
    AutoPropagate: gw.AutoPropagate,
    CreateTime: gw.CreateTime,
    EndTime: gw.EndTime,
    Tag: systemLabels(gw),
    Tags: { Tag: gw.Tags },
    EniInstanceIds: { EniInstanceId: [] },
  };
}

function vswitchOf(r: AliRegionState, vpcId: string, param: string, id: string): AliVSwitch {
  const v = r.vswitches[id];
  if (!v) throw notFound('InvalidVSwitchId.NotFound', `vSwitch (${param})`, id);
  if (v.VpcId !== vpcId) throw illegal(param, id, `the vSwitch does not belong to VPC ${vpcId}`);
  return v;
}

export const createVpnGateway: Handler = (call) => {
  const r = call.region();
  return call.idempotent(() => {
    const p = call.p;
    const vpcId = p.required('VpcId');
    const vpc = r.vpcs[vpcId];
    if (!vpc) throw notFound('InvalidVpcId.NotFound', 'VPC (VpcId)', vpcId);
    const networkType = p.oneOf('NetworkType', ['public', 'private'] as const) ?? 'public';
    const bandwidth = p.requiredInt('Bandwidth');
    const allowed = networkType === 'public' ? PUBLIC_BANDWIDTHS : PRIVATE_BANDWIDTHS;
    // code unconfirmed (the API reference lists no bandwidth error)
    if (!allowed.includes(bandwidth))
      throw illegal('Bandwidth', String(bandwidth), `valid values for a ${networkType} gateway: ${allowed.join(', ')}`);
    const chargeType = p.oneOf('InstanceChargeType', ['POSTPAY', 'PREPAY'] as const) ?? 'POSTPAY';
    let period: number | undefined;
    if (chargeType === 'PREPAY') {
      period = p.requiredInt('Period');
      if (!PREPAY_PERIODS.includes(period)) throw illegal('Period', String(period), 'months: 1-9, 12, 24, 36');
    }
    const name = p.str('Name');
    if (name !== undefined && (!NAME_RE.test(name) || /^https?:\/\//.test(name)))
      throw new SimError(
        'InvalidName',
        `The specified Name "${name}" is invalid: 2-100 characters, starting with a letter; letters, digits, _ . -.`,
        400,
      );
    const vpnType = p.str('VpnType') ?? 'Normal';
    if (vpnType !== 'Normal') throw illegal('VpnType', vpnType, 'only Normal is available on the international site');
    const enableIpsec = p.bool('EnableIpsec') ?? true;
    const enableSsl = p.bool('EnableSsl') ?? false;
    const sslConnections = p.int('SslConnections') ?? 5;
    if (!SSL_CONNECTIONS.includes(sslConnections))
      throw illegal('SslConnections', String(sslConnections), `valid values: ${SSL_CONNECTIONS.join(', ')}`);
    const autoPay = p.bool('AutoPay') ?? false;

    // vSwitches (CreateVpnGateway reference): where gateways are dual-tunnel, VSwitchId and
    // DisasterRecoveryVSwitchId are both required, in two zones (a single-zone region may use one zone, even one
    // vSwitch twice); elsewhere VSwitchId is optional (the system picks one) and what a DisasterRecoveryVSwitchId
    // does there is not documented (the region's `singleTunnelDisasterRecoveryVSwitch`). Codes for the zone and
    // region rules are assumed (IllegalParam.<parameter>).
    const dual = r.kind === 'dual-tunnel';
    let vsw: AliVSwitch;
    let drVsw: AliVSwitch | undefined;
    const vswId = p.str('VSwitchId');
    const drId = p.str('DisasterRecoveryVSwitchId');
    if (dual) {
      if (vswId === undefined) throw missing('VSwitchId');
      if (drId === undefined) throw missing('DisasterRecoveryVSwitchId');
      vsw = vswitchOf(r, vpcId, 'VSwitchId', vswId);
      drVsw = vswitchOf(r, vpcId, 'DisasterRecoveryVSwitchId', drId);
      if (r.zones.length > 1 && drVsw.ZoneId === vsw.ZoneId)
        throw illegal(
          'DisasterRecoveryVSwitchId',
          drId,
          `it is in zone ${drVsw.ZoneId} like VSwitchId; the two vSwitches must be in different zones`,
        );
    } else {
      if (drId !== undefined) {
        vswitchOf(r, vpcId, 'DisasterRecoveryVSwitchId', drId);
        if (r.singleTunnelDisasterRecoveryVSwitch === 'refused')
          throw illegal('DisasterRecoveryVSwitchId', drId, 'this region does not support dual-tunnel VPN gateways');
      }
      const picked = vswId ?? vpc.VSwitchIds[0];
      if (picked === undefined) throw notFound('InvalidVSwitchId.NotFound', 'vSwitch (VSwitchId)', `any in ${vpcId}`);
      vsw = vswitchOf(r, vpcId, 'VSwitchId', picked);
    }

    const total = Object.values(call.ctx.state.alibaba.regions).reduce(
      (n, reg) => n + Object.keys(reg.vpnGateways).length,
      0,
    );
    if (total >= GATEWAY_QUOTA) throw quotaFull('VPN gateways per account', GATEWAY_QUOTA);

    const now = call.now();
    const id = call.ctx.ids.ali('vpn');
    const gw: AliVpnGateway = {
      VpnGatewayId: id,
      VpcId: vpcId,
      VSwitchId: vsw.VSwitchId,
      ...(drVsw ? { DisasterRecoveryVSwitchId: drVsw.VSwitchId, DisasterRecoveryInternetIp: '' } : {}),
      Name: name ?? '',
      // AutoPay=false (the API default): the order is never paid in the simulator, so the gateway stays
      // `init` forever (the real order waits for a manual payment).
      Status: autoPay ? 'provisioning' : 'init',
      BusinessStatus: 'Normal',
      InternetIp: '',
      ...(dual && enableSsl ? { SslVpnInternetIp: '' } : {}),
      // the bandwidth in Mbit/s as a string: "5" in the API reference's example (Terraform also strips an "M")
      Spec: String(bandwidth),
      // response spellings as Terraform reads them (docs say POSTPAY/Prepay; unconfirmed)
      ChargeType: chargeType === 'PREPAY' ? 'Prepay' : 'PostpayByFlow',
      IpsecVpn: enableIpsec ? 'enable' : 'disable',
      SslVpn: enableSsl ? 'enable' : 'disable',
      SslMaxConnections: sslConnections,
      NetworkType: networkType,
      // CreateVpnGateway makes the Traditional product (IPsec and SSL); Enhanced.SiteToSite gateways come from
      // CreateEnhancedVpnGateway. Single- or dual-tunnel shows in the disaster-recovery fields, not here.
      GatewayType: 'Traditional',
      VpnType: 'Normal',
      EnableBgp: false,
      AutoPropagate: false,
      CreateTime: now,
      // pay-as-you-go gateways have no end of term (0 here; the real value is unconfirmed)
      EndTime: period === undefined ? 0 : now + period * MONTH_MS,
      Tags: [],
      OrderId: call.ctx.ids.orderId(),
    };
    r.vpnGateways[id] = gw;
    if (autoPay) {
      call.ctx.after('alibaba.vpnGateway.create', `${id} active`, () => {
        const g = r.vpnGateways[id];
        if (g?.Status !== 'provisioning') return;
        g.Status = 'active';
        g.InternetIp = call.ctx.ids.aliPublicIp();
        if (isDualTunnel(g)) {
          g.DisasterRecoveryInternetIp = call.ctx.ids.aliPublicIp();
          if (g.SslVpn === 'enable') g.SslVpnInternetIp = call.ctx.ids.aliPublicIp();
        }
      });
    }
    return { VpnGatewayId: id, OrderId: gw.OrderId, Name: gw.Name };
  });
};

export const describeVpnGateway: Handler = (call) => {
  const r = call.region();
  const id = call.p.required('VpnGatewayId');
  const gw = findGateway(r, id);
  if (!call.visibleById(gw.CreateTime)) throw vpnGatewayNotFound(id);
  return renderGateway(gw);
};

export const describeVpnGateways: Handler = (call) => {
  const r = call.region();
  const p = call.p;
  const page = pageOf(p);
  const byTags = tagFilter(p);
  const vpcId = p.str('VpcId');
  const gwId = p.str('VpnGatewayId');
  const status = p.str('Status');
  const business = p.str('BusinessStatus');
  const type = p.str('GatewayType');
  const all = Object.values(r.vpnGateways).filter(
    (g) =>
      call.listed(g.CreateTime) &&
      (vpcId === undefined || g.VpcId === vpcId) &&
      (gwId === undefined || g.VpnGatewayId === gwId) &&
      (status === undefined || g.Status === status) &&
      (business === undefined || g.BusinessStatus === business) &&
      (type === undefined || g.GatewayType === type) &&
      byTags(g.Tags),
  );
  return {
    TotalCount: all.length,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    VpnGateways: { VpnGateway: paginate(all, page).map(renderGateway) },
  };
};

export const deleteVpnGateway: Handler = (call) => {
  const r = call.region();
  const gw = findGateway(r, call.p.required('VpnGatewayId'));
  assertGatewayIdle(gw);
  if (gw.ChargeType === 'Prepay' && call.now() < gw.EndTime)
    throw new SimError('ForbiddenRelease', 'A subscription VPN gateway cannot be released before it expires.', 403);
  // code unconfirmed: the SDK only says a gateway with IPsec connections cannot be deleted
  if (Object.values(r.vpnConnections).some((c) => c.VpnGatewayId === gw.VpnGatewayId))
    throw new SimError(
      'DependencyViolation.VpnConnection',
      `The VPN gateway ${gw.VpnGatewayId} still has IPsec connections; delete them first.`,
      400,
    );
  // unconfirmed: VPC route entries pointing at the gateway block its deletion (as dependencies do elsewhere)
  if (Object.values(r.routeEntries).some((e) => e.NextHopId === gw.VpnGatewayId && e.Origin !== 'vpn-publish'))
    throw new SimError(
      'DependencyViolation.RouteEntry',
      `Route entries still point at the VPN gateway ${gw.VpnGatewayId}; delete them first.`,
      400,
    );
  gw.Status = 'deleting';
  const id = gw.VpnGatewayId;
  call.ctx.after('alibaba.vpnGateway.delete', `${id} gone`, () => {
    delete r.vpnGateways[id];
    r.vpnRouteEntries = r.vpnRouteEntries.filter((e) => e.VpnInstanceId !== id);
    for (const [k, e] of Object.entries(r.routeEntries)) if (e.NextHopId === id) delete r.routeEntries[k];
  });
  return {};
};
