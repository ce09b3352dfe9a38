import { z } from 'zod';
import type { AliRegionState, AwsRegionState, Secret, WorldState } from '../types';
import type { IdGen } from './ids';
import { AWS_ACCOUNT_ID, emptyAwsRegion } from './world';

// A world of one's own (`vpn-bridge sim --world world.yaml`): regions with any valid names, VPCs and their CIDRs,
// route tables, vSwitches and their zones, each Alibaba region's gateway kind, and VPN gateways that already
// exist. Ids may be given (a spec that names them then runs unchanged) or are made up like the providers' own.
// Validated here, with errors that name the field; the simulator's resource models are untouched.

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const cidr = z.string().refine((v) => {
  const [ip, len, ...rest] = v.split('/');
  return rest.length === 0 && IPV4.test(ip ?? '') && /^\d+$/.test(len ?? '') && Number(len) <= 32;
}, 'must be a CIDR like 10.0.0.0/16');
/** AWS region names: us-east-1, eu-central-2, ap-southeast-5, us-gov-west-1, ... */
export const AWS_REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** Alibaba region ids: cn-hangzhou, cn-hongkong, eu-central-1, ap-southeast-1, me-east-1, ... */
export const ALIBABA_REGION_NAME = /^[a-z]{2}(-[a-z]+)+(-\d+)?$/;
const awsId = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}-[0-9a-f]{8,17}$`), `must look like ${prefix}-0123456789abcdef0`);
const aliId = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}-[a-z0-9]{3,40}$`), `must look like ${prefix}-abcdefgh12345678`);

const AwsRouteTableDef = z.strictObject({
  id: awsId('rtb').optional(),
  name: z.string().optional(),
  main: z.boolean().default(false),
  /** routes besides the VPC's local ones, e.g. an existing route to a peer */
  routes: z.array(z.strictObject({ destination: cidr, target: z.string().min(1) })).default([]),
});
const AwsVpcDef = z.strictObject({
  id: awsId('vpc').optional(),
  name: z.string().optional(),
  cidrs: z.array(cidr).min(1, 'a VPC needs at least one CIDR'),
  /** default: one main route table */
  routeTables: z.array(AwsRouteTableDef).optional(),
  /** a VPN gateway already attached to this VPC */
  vpnGateway: z.strictObject({ id: awsId('vgw').optional(), asn: z.number().int().default(64512) }).optional(),
});
const AwsRegionDef = z.strictObject({
  vpcs: z.array(AwsVpcDef).default([]),
  /** VPN gateways that exist, detached */
  vpnGateways: z
    .array(z.strictObject({ id: awsId('vgw').optional(), asn: z.number().int().default(64512) }))
    .default([]),
});
const AliVSwitchDef = z.strictObject({
  id: aliId('vsw').optional(),
  name: z.string().optional(),
  cidr,
  zone: z.string().min(1),
});
const AliVpcDef = z.strictObject({
  id: aliId('vpc').optional(),
  name: z.string().optional(),
  cidr,
  vSwitches: z.array(AliVSwitchDef).default([]),
  /** the system route table's id (default: made up) */
  routeTableId: aliId('vtb').optional(),
});
const AliRegionDef = z.strictObject({
  /** what CreateVpnGateway makes here: dual-tunnel (Alibaba's default today) or single-tunnel (the 2018 article's) */
  gatewayKind: z.enum(['dual-tunnel', 'single-tunnel']).default('dual-tunnel'),
  /** zones that offer VPN gateways (default: <region>-a, <region>-b) */
  zones: z.array(z.string().min(1)).min(1).optional(),
  /** zones that offer Enhanced.SiteToSite gateways */
  enhancedZones: z.array(z.string().min(1)).default([]),
  vpcs: z.array(AliVpcDef).default([]),
});

export const WorldDefinitionSchema = z.strictObject({
  aws: z.record(z.string(), AwsRegionDef).default({}),
  alibaba: z.record(z.string(), AliRegionDef).default({}),
});
export type WorldDefinition = z.output<typeof WorldDefinitionSchema>;
export type WorldDefinitionInput = z.input<typeof WorldDefinitionSchema>;

export class WorldDefinitionError extends Error {
  constructor(readonly issues: Array<{ path: string; message: string }>) {
    super(`the world definition is invalid:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'WorldDefinitionError';
  }
}

function pathText(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)),
    '',
  );
}

function cidrRange(c: string): [number, number] {
  const [ip = '0.0.0.0', len = '32'] = c.split('/');
  const n = ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(len));
  const start = n - (n % size);
  return [start, start + size - 1];
}
const inside = (inner: string, outer: string) => {
  const [a, b] = cidrRange(inner);
  const [c, d] = cidrRange(outer);
  return a >= c && b <= d;
};

/** parse and check a world definition (any JSON-like value); throws WorldDefinitionError naming each bad field */
export function parseWorldDefinition(input: unknown): WorldDefinition {
  const r = WorldDefinitionSchema.safeParse(input ?? {});
  if (!r.success)
    throw new WorldDefinitionError(r.error.issues.map((i) => ({ path: pathText(i.path), message: i.message })));
  const def = r.data;
  const issues: Array<{ path: string; message: string }> = [];
  for (const [region, a] of Object.entries(def.aws)) {
    if (!AWS_REGION_NAME.test(region))
      issues.push({ path: `aws.${region}`, message: 'is not an AWS region name (like us-east-1)' });
    a.vpcs.forEach((v, i) => {
      const mains = (v.routeTables ?? []).filter((t) => t.main).length;
      if (v.routeTables && mains !== 1)
        issues.push({
          path: `aws.${region}.vpcs[${i}].routeTables`,
          message: `needs exactly one main table (${mains})`,
        });
    });
  }
  for (const [region, a] of Object.entries(def.alibaba)) {
    if (!ALIBABA_REGION_NAME.test(region))
      issues.push({ path: `alibaba.${region}`, message: 'is not an Alibaba Cloud region id (like eu-central-1)' });
    const zones = a.zones ?? defaultZones(region);
    a.vpcs.forEach((v, i) => {
      v.vSwitches.forEach((s, j) => {
        const at = `alibaba.${region}.vpcs[${i}].vSwitches[${j}]`;
        if (!zones.includes(s.zone))
          issues.push({ path: `${at}.zone`, message: `${s.zone} is not a zone of ${region} (${zones.join(', ')})` });
        if (!inside(s.cidr, v.cidr))
          issues.push({ path: `${at}.cidr`, message: `${s.cidr} is not inside the VPC's ${v.cidr}` });
      });
    });
  }
  if (issues.length > 0) throw new WorldDefinitionError(issues);
  return def;
}

/** Alibaba's zone names: eu-central-1a, cn-hangzhou-b */
export function defaultZones(region: string): string[] {
  return ['a', 'b'].map((z) => (/\d$/.test(region) ? `${region}${z}` : `${region}-${z}`));
}

function awsRegion(def: WorldDefinition['aws'][string], ids: IdGen, now: number): AwsRegionState {
  const r = emptyAwsRegion();
  const vgw = (id: string | undefined, asn: number, vpcId?: string) => {
    const VpnGatewayId = id ? ids.reserve(id) : ids.aws('vgw');
    r.vpnGateways[VpnGatewayId] = {
      VpnGatewayId,
      State: 'available',
      Type: 'ipsec.1',
      AmazonSideAsn: asn,
      VpcAttachments: vpcId ? [{ VpcId: vpcId, State: 'attached' }] : [],
      Tags: [],
      CreatedAt: now,
    };
  };
  for (const v of def.vpcs) {
    const VpcId = v.id ? ids.reserve(v.id) : ids.aws('vpc');
    const [primary = ''] = v.cidrs;
    r.vpcs[VpcId] = {
      VpcId,
      CidrBlock: primary,
      CidrBlocks: [...v.cidrs],
      State: 'available',
      IsDefault: false,
      Tags: v.name ? [{ Key: 'Name', Value: v.name }] : [],
    };
    for (const t of v.routeTables ?? [{ main: true, routes: [] }]) {
      const id = 'id' in t && t.id ? ids.reserve(t.id) : ids.aws('rtb');
      r.routeTables[id] = {
        RouteTableId: id,
        VpcId,
        OwnerId: AWS_ACCOUNT_ID,
        Main: t.main,
        AssociationId: ids.aws('rtbassoc'),
        Routes: [
          ...v.cidrs.map((c) => ({
            DestinationCidrBlock: c,
            GatewayId: 'local',
            State: 'active' as const,
            Origin: 'CreateRouteTable' as const,
          })),
          ...t.routes.map((x) => ({
            DestinationCidrBlock: x.destination,
            GatewayId: x.target,
            State: 'active' as const,
            Origin: 'CreateRoute' as const,
          })),
        ],
        PropagatingVgws: [],
        Tags: 'name' in t && t.name ? [{ Key: 'Name', Value: t.name }] : [],
      };
    }
    if (v.vpnGateway) vgw(v.vpnGateway.id, v.vpnGateway.asn, VpcId);
  }
  for (const g of def.vpnGateways) vgw(g.id, g.asn);
  return r;
}

function alibabaRegion(region: string, def: WorldDefinition['alibaba'][string], ids: IdGen, iso: string) {
  const zones = def.zones ?? defaultZones(region);
  const r: AliRegionState = {
    kind: def.gatewayKind,
    enhancedZones: [...def.enhancedZones],
    singleTunnelDisasterRecoveryVSwitch: 'ignored',
    zones: zones.map((z, i) => ({ ZoneId: z, LocalName: `${region} zone ${String.fromCharCode(65 + i)}` })),
    vpcs: {},
    vswitches: {},
    routeTables: {},
    routeEntries: {},
    vpnGateways: {},
    customerGateways: {},
    vpnConnections: {},
    vpnRouteEntries: [],
  };
  for (const v of def.vpcs) {
    const VpcId = v.id ? ids.reserve(v.id) : ids.ali('vpc');
    const vtb = v.routeTableId ? ids.reserve(v.routeTableId) : ids.ali('vtb');
    const vrt = ids.ali('vrt');
    const vsws = v.vSwitches.map((s, i) => {
      const id = s.id ? ids.reserve(s.id) : ids.ali('vsw');
      r.vswitches[id] = {
        VSwitchId: id,
        VpcId,
        ZoneId: s.zone,
        CidrBlock: s.cidr,
        VSwitchName: s.name ?? `vsw-${i + 1}`,
        Status: 'Available',
        RouteTableId: vtb,
      };
      const rte = ids.ali('rte');
      r.routeEntries[rte] = {
        RouteEntryId: rte,
        RouteTableId: vtb,
        DestinationCidrBlock: s.cidr,
        Type: 'System',
        Status: 'Available',
        NextHopType: 'local',
        NextHopId: '',
      };
      return id;
    });
    r.vpcs[VpcId] = {
      VpcId,
      VpcName: v.name ?? '',
      CidrBlock: v.cidr,
      Status: 'Available',
      RouterId: vrt,
      RouteTableId: vtb,
      VSwitchIds: vsws,
      CreationTime: iso,
    };
    r.routeTables[vtb] = {
      RouteTableId: vtb,
      RouteTableType: 'System',
      RouteTableName: '',
      RouterId: vrt,
      RouterType: 'VRouter',
      VpcId,
      Status: 'Available',
      VSwitchIds: vsws,
      CreationTime: iso,
    };
  }
  return r;
}

/** the world a definition describes (what `seedWorld` is for the built-in one) */
export function buildWorld(def: WorldDefinition, ids: IdGen, now: number): WorldState {
  const iso = new Date(now).toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    aws: {
      accountId: AWS_ACCOUNT_ID,
      regions: Object.fromEntries(Object.entries(def.aws).map(([k, v]) => [k, awsRegion(v, ids, now)])),
      secrets: {} as Record<string, Record<string, Secret>>,
      stateMachines: {},
      executions: {},
    },
    alibaba: {
      regions: Object.fromEntries(Object.entries(def.alibaba).map(([k, v]) => [k, alibabaRegion(k, v, ids, iso)])),
      clientTokens: {},
    },
    forcedDown: {},
  };
}
