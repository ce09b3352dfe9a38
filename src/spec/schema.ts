// The connection spec (README.md): zod 4 schema with specific, human messages per field.
// Pure. Cross-field rules (CIDR overlap, PREPAY period, crypto overrides via resolveCrypto) are part of the schema,
// so anything that validates with ConnectionSpecSchema gets them; parseSpec adds path formatting, did-you-mean for
// unknown keys and warnings.
import * as z from 'zod';
import { cidrsOverlap, parseCidr } from '../net/cidr';
import {
  type AwsEncryption,
  type AwsIntegrity,
  CRYPTO_PROFILE_NAMES,
  checkDpdTimeoutAction,
  checkDpdTimeoutSeconds,
  checkEncryption,
  checkIkeVersion,
  checkIntegrity,
  checkPhase1DhGroup,
  checkPhase1Lifetime,
  checkPhase2DhGroup,
  checkPhase2Lifetime,
  type DpdTimeoutAction,
  type FieldCheck,
  type IkeVersion,
  type Phase1DhGroup,
  type Phase2DhGroup,
  resolveCrypto,
  showValue,
} from '../plan/crypto';
import { CONNECTION_NAME, CONNECTION_NAME_RULE } from './name';

export interface SpecIssue {
  /** dotted path into the spec ('alibaba.cidr', 'aws.routeTableIds[1]'), or '(document)' for the whole input */
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

/** CIDR prefix range accepted for both VPC CIDRs. */
export const SPEC_CIDR_RULES = { minPrefix: 8, maxPrefix: 28, requireNetworkAddress: true } as const;
export const BANDWIDTHS_MBPS = [10, 100, 200, 500, 1000] as const;
export const GATEWAY_MODES = ['auto', 'single-tunnel', 'dual-tunnel'] as const;
export type GatewayMode = (typeof GATEWAY_MODES)[number];
export const PERIOD_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36] as const;

/** Address blocks no VPC CIDR may touch: AWS rejects them, and 169.254/16 holds the tunnel inside addresses. */
const FORBIDDEN_BLOCKS: ReadonlyArray<readonly [string, string]> = [
  ['0.0.0.0/8', '"this network"'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local; the tunnel inside addresses live there'],
  ['224.0.0.0/3', 'multicast and reserved space'],
];

type IssueLike = { readonly input?: unknown };

/** Error text for a field: 'is required' when missing, else "<what>, got <value>". */
function expected(what: string) {
  return (iss: IssueLike): string => (iss.input === undefined ? 'is required' : `${what}, got ${showValue(iss.input)}`);
}

function patternString(pattern: RegExp, what: string) {
  return z.string({ error: expected(what) }).regex(pattern, { error: expected(what) });
}

/** A field validated by one of the crypto module's checks (the same reasons resolveCrypto gives). */
function checked<T>(check: FieldCheck) {
  return z.custom<T>((value) => check(value) === undefined, { error: (iss) => check(iss.input) ?? 'is invalid' });
}

function objectOf<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, { error: expected(`must be an object with ${Object.keys(shape).join(', ')}`) });
}

function uniqueList(item: z.ZodType<string>, what: string, max: number) {
  return z
    .array(item, { error: expected(`must be a list of ${what}s`) })
    .min(1, { error: `must list at least one ${what} (or leave the field out)` })
    .max(max, {
      error: (iss) => `lists too many: at most ${max}, got ${Array.isArray(iss.input) ? iss.input.length : '?'}`,
    })
    .superRefine((list, ctx) => {
      list.forEach((value, i) => {
        const first = list.indexOf(value);
        if (first < i) {
          ctx.addIssue({
            code: 'custom',
            path: [i],
            input: value,
            message: `duplicates '${value}' (already at [${first}])`,
          });
        }
      });
    });
}

function cidrField() {
  return z.string({ error: expected('must be a CIDR like 10.0.0.0/16') }).superRefine((text, ctx) => {
    const parsed = parseCidr(text, SPEC_CIDR_RULES);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', input: text, message: parsed.reason });
      return;
    }
    for (const [block, why] of FORBIDDEN_BLOCKS) {
      if (cidrsOverlap(parsed.cidr.text, block)) {
        ctx.addIssue({ code: 'custom', input: text, message: `must not overlap ${block} (${why}), got '${text}'` });
      }
    }
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Shapes (kept as named objects: their keys also drive the did-you-mean for unknown fields).

/** a VPC takes at most 5 IPv4 CIDR blocks (the Amazon VPC quotas) */
export const MAX_AWS_CIDRS = 5;
/**
 * Alibaba CIDRs per connection: a single-tunnel gateway holds two VPN route entries per AWS CIDR and at most 20
 * destination routes (docs/attach-points.md), so 10 AWS CIDRs; the same bound is kept for the Alibaba side
 */
export const MAX_ALIBABA_CIDRS = 10;

const VGW_ID = /^vgw-[0-9a-f]{8}([0-9a-f]{9})?$/;
const TGW_ID = /^tgw-[0-9a-f]{8}([0-9a-f]{9})?$/;
const TGW_RTB_ID = /^tgw-rtb-[0-9a-f]{8}([0-9a-f]{9})?$/;

/**
 * How the AWS side attaches (`aws.attach`, docs/attach-points.md): `vpnGateway: auto` (the default) uses the VPN
 * gateway already attached to the VPC, or creates one; `vpnGateway: vgw-...` uses that gateway (several connections
 * share one VGW); `transitGateway: tgw-...` with `routeTableId: tgw-rtb-...` puts the VPN connections on that transit
 * gateway and their static routes in that route table (`vpcRoutes: true`: also routes in the VPC's tables toward it).
 */
const attachShape = {
  vpnGateway: z
    .union([z.literal('auto'), patternString(VGW_ID, "must be 'auto' or a VGW id like vgw-0123456789abcdef0")], {
      error: expected("must be 'auto' or a VGW id like vgw-0123456789abcdef0"),
    })
    .optional(),
  transitGateway: patternString(TGW_ID, 'must be a transit gateway id like tgw-0123456789abcdef0').optional(),
  routeTableId: patternString(
    TGW_RTB_ID,
    'must be a transit gateway route table id like tgw-rtb-0123456789abcdef0',
  ).optional(),
  vpcRoutes: z.boolean({ error: expected('must be true or false') }).optional(),
};

/** `vpnGateway` alone, or `transitGateway` with `routeTableId` (and optionally `vpcRoutes`) */
function oneAttachPoint(raw: unknown, ctx: z.core.$RefinementCtx<unknown>): void {
  if (!isRecord(raw)) return;
  const tgw = raw.transitGateway !== undefined || raw.routeTableId !== undefined || raw.vpcRoutes !== undefined;
  if (raw.vpnGateway !== undefined && tgw) {
    const field =
      raw.transitGateway !== undefined
        ? 'transitGateway'
        : raw.routeTableId !== undefined
          ? 'routeTableId'
          : 'vpcRoutes';
    ctx.addIssue({
      code: 'custom',
      path: [field],
      input: raw[field],
      message: 'give either vpnGateway or transitGateway (with routeTableId), not both',
    });
    return;
  }
  if (raw.vpnGateway === undefined && !tgw) {
    ctx.addIssue({
      code: 'custom',
      path: ['vpnGateway'],
      input: undefined,
      message: 'is required (or transitGateway with routeTableId)',
    });
    return;
  }
  if (!tgw) return;
  if (raw.transitGateway === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['transitGateway'],
      input: undefined,
      message: 'is required with routeTableId',
    });
  if (raw.routeTableId === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['routeTableId'],
      input: undefined,
      message: 'is required with transitGateway (the transit gateway route table for the static routes)',
    });
}

const AttachSchema = objectOf(attachShape).superRefine((value, ctx) => oneAttachPoint(value, ctx), {
  when: () => true,
});

const awsShape = {
  region: patternString(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region like us-east-1'),
  vpcId: patternString(/^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/, 'must be an AWS VPC id like vpc-0123456789abcdef0'),
  /** the VPC's CIDR (or `cidrs`: several of its CIDRs) */
  cidr: cidrField().optional(),
  cidrs: uniqueList(cidrField(), 'CIDR', MAX_AWS_CIDRS).optional(),
  attach: AttachSchema.optional(),
  routeTableIds: uniqueList(
    patternString(/^rtb-[0-9a-f]{8,17}$/, 'must be a route table id like rtb-0123456789abcdef0'),
    'route table id',
    10,
  ).optional(),
};

const alibabaShape = {
  region: patternString(/^[a-z]{2}-[a-z0-9]+(-[a-z0-9]+)*$/, 'must be an Alibaba Cloud region id like eu-central-1'),
  vpcId: patternString(/^vpc-[a-z0-9]{8,30}$/, 'must be an Alibaba VPC id like vpc-gw8abcdefgh12345678'),
  /** a CIDR inside the VPC (or `cidrs`: several) */
  cidr: cidrField().optional(),
  cidrs: uniqueList(cidrField(), 'CIDR', MAX_ALIBABA_CIDRS).optional(),
  vSwitchIds: uniqueList(
    patternString(/^vsw-[a-z0-9]{8,30}$/, 'must be a vSwitch id like vsw-gw8abcdefgh12345678'),
    'vSwitch id',
    2,
  ).optional(),
  routeTableId: patternString(
    /^vtb-[a-z0-9]{8,30}$/,
    'must be a route table id like vtb-gw8abcdefgh12345678',
  ).optional(),
  /**
   * What kind of Alibaba VPN gateway the connection is built for. `auto` (default): the topology follows the gateway
   * that was created (a dual-tunnel gateway has a disaster-recovery IP); `single-tunnel` / `dual-tunnel` pin it, and a
   * created gateway of the other kind fails the run before any IPsec connection is made.
   */
  gatewayMode: z
    .enum(GATEWAY_MODES, { error: expected("must be 'auto', 'single-tunnel' or 'dual-tunnel'") })
    .default('auto'),
  bandwidthMbps: z
    .literal(BANDWIDTHS_MBPS, { error: expected(`must be one of ${BANDWIDTHS_MBPS.join(', ')} (Mbit/s)`) })
    .default(10),
  chargeType: z.enum(['POSTPAY', 'PREPAY'], { error: expected("must be 'POSTPAY' or 'PREPAY'") }).default('POSTPAY'),
  periodMonths: z
    .literal(PERIOD_MONTHS, { error: expected('must be a subscription period in months: 1-9, 12, 24 or 36') })
    .optional(),
};

const phase1Shape = {
  encryption: checked<AwsEncryption>(checkEncryption).optional(),
  integrity: checked<AwsIntegrity>(checkIntegrity).optional(),
  dhGroup: checked<Phase1DhGroup>(checkPhase1DhGroup).optional(),
  lifetimeSeconds: checked<number>(checkPhase1Lifetime).optional(),
};
const phase2Shape = {
  encryption: checked<AwsEncryption>(checkEncryption).optional(),
  integrity: checked<AwsIntegrity>(checkIntegrity).optional(),
  dhGroup: checked<Phase2DhGroup>(checkPhase2DhGroup).optional(),
  lifetimeSeconds: checked<number>(checkPhase2Lifetime).optional(),
};
const overridesShape = {
  ikeVersion: checked<IkeVersion>(checkIkeVersion).optional(),
  phase1: objectOf(phase1Shape).optional(),
  phase2: objectOf(phase2Shape).optional(),
  dpdTimeoutSeconds: checked<number>(checkDpdTimeoutSeconds).optional(),
  dpdTimeoutAction: checked<DpdTimeoutAction>(checkDpdTimeoutAction).optional(),
};
export const CryptoOverridesSchema = objectOf(overridesShape);

const tunnelsShape = {
  profile: z
    .enum(CRYPTO_PROFILE_NAMES, { error: expected("must be 'recommended' or 'article-2018'") })
    .default('recommended'),
  psk: z
    .enum(['from-aws-config', 'generated'], { error: expected("must be 'from-aws-config' or 'generated'") })
    .default('from-aws-config'),
  overrides: CryptoOverridesSchema.optional(),
  /** rotate the pre-shared keys once the last rotation (or the connection) is this many days old (docs/key-rotation.md) */
  rotateEveryDays: z
    .number({ error: expected('must be a whole number of days, 1-365') })
    .int({ error: 'must be a whole number of days, 1-365' })
    .min(1, { error: 'must be a whole number of days, 1-365' })
    .max(365, { error: 'must be a whole number of days, 1-365' })
    .optional(),
};
const TunnelsSchema = objectOf(tunnelsShape).prefault({});

/** exactly one of `cidr` and `cidrs` (checked defensively: it runs even when other fields are invalid) */
function oneCidrField(raw: unknown, ctx: z.core.$RefinementCtx<unknown>): void {
  if (!isRecord(raw)) return;
  if (raw.cidr !== undefined && raw.cidrs !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['cidrs'],
      input: raw.cidrs,
      message: 'give either cidr (one CIDR) or cidrs (a list), not both',
    });
  if (raw.cidr === undefined && raw.cidrs === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['cidr'],
      input: undefined,
      message: 'is required (or cidrs: a list of CIDRs)',
    });
}

const AwsSchema = objectOf(awsShape).superRefine((value, ctx) => oneCidrField(value, ctx), { when: () => true });

const AlibabaSchema = objectOf(alibabaShape).superRefine(
  (value, ctx) => {
    // Runs even when other alibaba fields are invalid (`when`), so the value is checked defensively.
    const raw: unknown = value;
    oneCidrField(raw, ctx);
    if (!isRecord(raw)) return;
    const charge = raw.chargeType ?? 'POSTPAY';
    if (charge === 'PREPAY' && raw.periodMonths === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['periodMonths'],
        input: undefined,
        message: 'is required when chargeType is PREPAY (months: 1-9, 12, 24 or 36)',
      });
    }
    if (charge === 'POSTPAY' && raw.periodMonths !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['periodMonths'],
        input: raw.periodMonths,
        message: 'is only allowed with chargeType PREPAY (POSTPAY gateways have no subscription period)',
      });
    }
  },
  { when: () => true },
);

const rootShape = {
  name: patternString(CONNECTION_NAME, CONNECTION_NAME_RULE),
  aws: AwsSchema,
  alibaba: AlibabaSchema,
  tunnels: TunnelsSchema,
  onFailure: z.enum(['keep', 'rollback'], { error: expected("must be 'keep' or 'rollback'") }).default('keep'),
};

/** Known field names per object path ('' = top level), for unknown-key messages. */
export const SPEC_FIELDS: Readonly<Record<string, readonly string[]>> = {
  '': Object.keys(rootShape),
  aws: Object.keys(awsShape),
  'aws.attach': Object.keys(attachShape),
  alibaba: Object.keys(alibabaShape),
  tunnels: Object.keys(tunnelsShape),
  'tunnels.overrides': Object.keys(overridesShape),
  'tunnels.overrides.phase1': Object.keys(phase1Shape),
  'tunnels.overrides.phase2': Object.keys(phase2Shape),
};

function validCidr(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = parseCidr(value, SPEC_CIDR_RULES);
  return parsed.ok ? parsed.cidr.text : undefined;
}

/** the valid CIDRs of one side of a raw spec, each with the field it came from ('aws.cidr', 'aws.cidrs[1]') */
function sideCidrs(raw: Record<string, unknown>, side: 'aws' | 'alibaba'): Array<{ cidr: string; path: string[] }> {
  const block = raw[side];
  if (!isRecord(block)) return [];
  if (Array.isArray(block.cidrs))
    return block.cidrs.flatMap((c, i) => {
      const v = validCidr(c);
      return v ? [{ cidr: v, path: [side, 'cidrs', String(i)] }] : [];
    });
  const one = validCidr(block.cidr);
  return one ? [{ cidr: one, path: [side, 'cidr'] }] : [];
}

const fieldName = (path: string[]) =>
  path.length === 3 ? `${path[0]}.${path[1]}[${path[2]}]` : `${path[0]}.${path[1]}`;

export const ConnectionSpecSchema = z
  .strictObject(rootShape, {
    error: expected('the spec must be a mapping with name, aws, alibaba (and optionally tunnels, onFailure)'),
  })
  .superRefine(
    (value, ctx) => {
      // Runs even when unrelated fields are invalid (`when`); every value is re-checked before use.
      const raw: unknown = value;
      if (!isRecord(raw)) return;
      // the two sides' address ranges are disjoint, and a side's CIDRs do not overlap one another
      const aws = sideCidrs(raw, 'aws');
      const ali = sideCidrs(raw, 'alibaba');
      // the i-th CIDR of one side against the ones listed before it on that side (a repeat is not an overlap)
      const overlapsEarlier = (side: typeof aws, i: number) => {
        const a = side[i];
        const earlier = a && side.slice(0, i).find((x) => x.cidr !== a.cidr && cidrsOverlap(x.cidr, a.cidr));
        if (a && earlier)
          ctx.addIssue({
            code: 'custom',
            path: a.path,
            input: a.cidr,
            message: `overlaps ${fieldName(earlier.path)} ${earlier.cidr}: list disjoint CIDRs`,
          });
      };
      for (const [i, a] of ali.entries()) {
        const clash = aws.find((w) => cidrsOverlap(w.cidr, a.cidr));
        if (clash)
          ctx.addIssue({
            code: 'custom',
            path: a.path,
            input: a.cidr,
            message: `overlaps ${fieldName(clash.path)} ${clash.cidr}: the two VPCs must use disjoint address ranges`,
          });
        overlapsEarlier(ali, i);
      }
      for (const i of aws.keys()) overlapsEarlier(aws, i);
      // Cross-field crypto rules (phase-2 lifetime < phase-1). Per-field reasons were already reported by the
      // fields themselves, so resolveCrypto only runs once every field is valid.
      const tunnels = TunnelsSchema.safeParse(raw.tunnels);
      if (tunnels.success && tunnels.data.overrides) {
        const resolved = resolveCrypto(tunnels.data.profile, tunnels.data.overrides);
        if (!resolved.ok) {
          for (const issue of resolved.errors) {
            ctx.addIssue({ code: 'custom', path: issue.path.split('.'), input: undefined, message: issue.message });
          }
        }
      }
    },
    { when: () => true },
  );

/** The validated spec with defaults applied. */
export type ConnectionSpec = z.output<typeof ConnectionSpecSchema>;
/** What a user may write (defaults optional). */
export type ConnectionSpecInput = z.input<typeof ConnectionSpecSchema>;
export type CryptoOverridesSpec = z.output<typeof CryptoOverridesSchema>;

/** the connection's AWS CIDRs (`aws.cidrs`, or the one `aws.cidr`) */
export function awsCidrsOf(spec: { aws: { cidr?: string; cidrs?: string[] } }): string[] {
  return spec.aws.cidrs ? [...spec.aws.cidrs] : spec.aws.cidr ? [spec.aws.cidr] : [];
}

/** the connection's Alibaba CIDRs (`alibaba.cidrs`, or the one `alibaba.cidr`) */
export function alibabaCidrsOf(spec: { alibaba: { cidr?: string; cidrs?: string[] } }): string[] {
  return spec.alibaba.cidrs ? [...spec.alibaba.cidrs] : spec.alibaba.cidr ? [spec.alibaba.cidr] : [];
}

export type AwsAttach =
  | { vpnGateway: string; transitGateway?: undefined }
  | { transitGateway: string; routeTableId: string; vpcRoutes: boolean; vpnGateway?: undefined };

/** the spec's AWS attach point (`aws.attach`; default: the VPC's VGW, or a new one) */
export function attachOf(spec: {
  aws: {
    attach?: { vpnGateway?: string; transitGateway?: string; routeTableId?: string; vpcRoutes?: boolean } | undefined;
  };
}): AwsAttach {
  const a = spec.aws.attach;
  if (a?.transitGateway)
    return { transitGateway: a.transitGateway, routeTableId: a.routeTableId ?? '', vpcRoutes: a.vpcRoutes === true };
  return { vpnGateway: a?.vpnGateway ?? 'auto' };
}

/** the transit gateway attach point of a spec, if it names one */
export function tgwAttachOf(spec: Parameters<typeof attachOf>[0]) {
  const a = attachOf(spec);
  return a.transitGateway !== undefined ? a : undefined;
}

/** where a side's CIDR i comes from in the spec, for messages ('aws.cidr', 'aws.cidrs[1]') */
export function cidrPath(spec: ConnectionSpec, side: 'aws' | 'alibaba', i: number): string {
  return spec[side].cidrs ? `${side}.cidrs[${i}]` : `${side}.cidr`;
}
