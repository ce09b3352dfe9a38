// Names, tags, idempotency tokens and tunnel inside /30s. ONE function family used by creation, lookup,
// compensation and teardown, so a resource created by one is always found by the others.
// Pure: node:crypto's createHash is a deterministic function of its input.
import { createHash } from 'node:crypto';
import { CONNECTION_NAME_SOURCE } from '../spec/name';

export const TAG_CONNECTION = 'vpn-bridge:connection';
export const TAG_STAGE = 'vpn-bridge:stage';
export const TAG_ROLE = 'vpn-bridge:role';
export const TAG_MANAGED = 'vpn-bridge:managed';

/** a deployment stage: part of every name and tag, so two stacks in one account never see each other's connections */
export const STAGE = /^[a-z][a-z0-9-]{0,15}$/;

/**
 * Which deployment and which connection. Every name, tag and lookup of a connection's resources takes both: a
 * `dev` and a `prod` stack in one account may each have a connection called `gdn-china`. A connection record is one.
 */
export interface ConnectionKey {
  stage: string;
  name: string;
}

export type ResourceRole =
  | 'vgw'
  | 'cgw-1'
  | 'cgw-2'
  | 'vpn-1'
  | 'vpn-2'
  | 'alibaba-gateway'
  | 'alibaba-cgw-1'
  | 'alibaba-cgw-2'
  | 'ipsec-1'
  | 'ipsec-2';

export const RESOURCE_ROLES: readonly ResourceRole[] = [
  'vgw',
  'cgw-1',
  'cgw-2',
  'vpn-1',
  'vpn-2',
  'alibaba-gateway',
  'alibaba-cgw-1',
  'alibaba-cgw-2',
  'ipsec-1',
  'ipsec-2',
];

export interface Tag {
  Key: string;
  Value: string;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * `vpn-bridge.<stage>.<connection>.<role>`. Stage ([a-z][a-z0-9-]{0,15}), connection ([a-z][a-z0-9-]{2,39}) and role
 * contain no '.', so the name parses back unambiguously; at most 85 characters of [a-z0-9.-] starting with a letter: a
 * valid Alibaba `Name` (2-128, letter first, [A-Za-z0-9_.-]) and AWS Name tag.
 */
export function resourceName(key: ConnectionKey, role: ResourceRole): string {
  return `vpn-bridge.${key.stage}.${key.name}.${role}`;
}

// roles are [a-z0-9-] only: no escaping needed
const NAME_PATTERN = new RegExp(
  `^vpn-bridge\\.(${STAGE.source.slice(1, -1)})\\.(${CONNECTION_NAME_SOURCE})\\.(${RESOURCE_ROLES.join('|')})$`,
);

/** the stage, connection and role a resource name claims, if it is one of resourceName's */
export function parseResourceName(name: string): (ConnectionKey & { role: ResourceRole }) | undefined {
  const m = NAME_PATTERN.exec(name);
  if (!m?.[1] || !m[2] || !m[3]) return undefined;
  return { stage: m[1], name: m[2], role: m[3] as ResourceRole };
}

/** AWS tags (for TagSpecifications and tag-filter lookups). */
export function awsTags(key: ConnectionKey, role: ResourceRole): Tag[] {
  return [
    { Key: TAG_CONNECTION, Value: key.name },
    { Key: TAG_STAGE, Value: key.stage },
    { Key: TAG_ROLE, Value: role },
    { Key: TAG_MANAGED, Value: 'true' },
    { Key: 'Name', Value: resourceName(key, role) },
  ];
}

/**
 * Alibaba tags: the same keys as on AWS. Alibaba documents tag keys as up to 128 characters that must not start
 * with `aliyun` or `acs:` nor contain `http://`/`https://`; a ':' elsewhere in the key is therefore assumed to be
 * allowed (not stated explicitly in the reference: unconfirmed).
 */
export function alibabaTags(key: ConnectionKey, role: ResourceRole): Tag[] {
  return awsTags(key, role);
}

/** Tag filters that find a resource of this connection and role (AWS `Filters` shape). */
export function awsTagFilters(key: ConnectionKey, role?: ResourceRole): Array<{ Name: string; Values: string[] }> {
  const filters = [
    { Name: `tag:${TAG_CONNECTION}`, Values: [key.name] },
    { Name: `tag:${TAG_STAGE}`, Values: [key.stage] },
  ];
  if (role) filters.push({ Name: `tag:${TAG_ROLE}`, Values: [role] });
  return filters;
}

/** does this tag set belong to the connection (and stage)? */
export function taggedFor(tags: Record<string, string>, key: ConnectionKey): boolean {
  return tags[TAG_CONNECTION] === key.name && tags[TAG_STAGE] === key.stage;
}

/**
 * Idempotency token for a create: deterministic from (connection, generation, step), ASCII, 51 characters
 * (Alibaba `ClientToken` <= 64; EC2 `ClientToken` <= 64). `generation` is the connection record's creation id, so a
 * connection deleted and re-created under the same name gets fresh tokens.
 */
export function clientToken(connection: string, generation: string, step: string): string {
  // JSON keeps the three parts apart even if one contains a separator character.
  return `vb-${sha256Hex(JSON.stringify([connection, generation, step])).slice(0, 48)}`;
}

/**
 * The ClientToken of a call made by a connection's current operation. Alibaba answers a repeated token with the first
 * answer and changes nothing, even when the resource was deleted since, and refuses the token with other parameters
 * (docs/simulator-fidelity.md, "ClientToken"); so a token may be repeated only by retries of the same intended call.
 * `tokenEpoch` changes with every operation that may create (each provisioning run, each drift repair): within one,
 * a retry after a lost answer repeats its token and cannot create twice; the next one re-creates what went missing.
 */
export function operationToken(r: { name: string; generation: string; tokenEpoch?: string }, step: string): string {
  return clientToken(r.name, r.tokenEpoch ? `${r.generation}/${r.tokenEpoch}` : r.generation, step);
}

/** Secrets Manager name of the connection record: `vpn-bridge/<stage>/<connection>` */
export function secretName(key: ConnectionKey): string {
  return `${secretPrefix(key.stage)}${key.name}`;
}

/** the prefix every record name of a stage starts with (a ListSecrets `name` filter matches prefixes) */
export function secretPrefix(stage: string): string {
  return `vpn-bridge/${stage}/`;
}

/** every AWS tunnel a connection can have, used or not: `vpn-1/1` .. `vpn-2/2` */
export const AWS_TUNNEL_IDS = ['vpn-1/1', 'vpn-1/2', 'vpn-2/1', 'vpn-2/2'] as const;
export type AwsTunnelId = (typeof AWS_TUNNEL_IDS)[number];

/**
 * The CloudWatch alarm on one AWS tunnel's AWS/VPN TunnelState: `vpn-bridge.<stage>.<connection>.vpn-1.tunnel-1`
 * (its VPN connection's resource name plus the tunnel). Made after the tunnels are up, deleted by teardown and
 * rollback, both through this name; `alarmNamePrefix` is what the IAM statements scope the alarms to.
 */
export function tunnelAlarmName(key: ConnectionKey, tunnel: AwsTunnelId): string {
  const [connection, n] = tunnel.split('/') as ['vpn-1' | 'vpn-2', string];
  return `${resourceName(key, connection)}.tunnel-${n}`;
}

/** the prefix of every alarm of a stage (`vpn-bridge.<stage>.`) */
export function alarmNamePrefix(stage: string): string {
  return `vpn-bridge.${stage}.`;
}

export type ExecutionOperation = 'provision' | 'teardown' | 'drift' | 'rotate';
const MAX_EXECUTION_NAME = 80;

/**
 * Step Functions execution name `<connection>-<operation>-<discriminator>`: at most 80 characters of
 * [A-Za-z0-9-_] (the charset that also keeps CloudWatch logging working). Other characters in the
 * discriminator become '-'; a discriminator that does not fit is shortened and suffixed with a hash of the
 * original so distinct discriminators keep distinct names.
 */
export function executionName(connection: string, operation: ExecutionOperation, discriminator: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '-');
  const prefix = `${safe(connection)}-${operation}-`;
  const disc = safe(discriminator);
  const room = MAX_EXECUTION_NAME - prefix.length;
  if (disc.length > 0 && disc.length <= room) return prefix + disc;
  const hash = sha256Hex(discriminator).slice(0, 12);
  const keep = Math.max(0, room - hash.length - 1);
  const head = disc.slice(0, keep);
  return (head ? `${prefix}${head}-${hash}` : `${prefix}${hash}`).slice(0, MAX_EXECUTION_NAME);
}

// ---------------------------------------------------------------------------------------------------------------
// Tunnel inside /30s (docs/sources.md#the-article-and-the-interoperability-guides-interop): inside 169.254.0.0/16, valid on BOTH clouds, i.e. avoiding
// 169.254.0.0/30 ... 169.254.6.0/30 and 169.254.169.252/30. Drawn from 169.254.10.0/30 ... 169.254.250.252/30.

const INSIDE_THIRD_MIN = 10;
const INSIDE_THIRD_MAX = 250;
const BLOCKS_PER_OCTET = 64; // 256 / 4
const INSIDE_SLOTS = (INSIDE_THIRD_MAX - INSIDE_THIRD_MIN + 1) * BLOCKS_PER_OCTET;
/** reserved on both clouds */
export const RESERVED_INSIDE_CIDRS = [
  '169.254.0.0/30',
  '169.254.1.0/30',
  '169.254.2.0/30',
  '169.254.3.0/30',
  '169.254.4.0/30',
  '169.254.5.0/30',
  '169.254.6.0/30',
  '169.254.169.252/30',
] as const;

function slotCidr(slot: number): string {
  const third = INSIDE_THIRD_MIN + Math.floor(slot / BLOCKS_PER_OCTET);
  const fourth = (slot % BLOCKS_PER_OCTET) * 4;
  return `169.254.${third}.${fourth}/30`;
}

/**
 * Four distinct inside /30s (vpn-1 tunnel 1, vpn-1 tunnel 2, vpn-2 tunnel 1, vpn-2 tunnel 2), derived
 * deterministically from the connection name. Each connection has its own VGW and Alibaba gateway, so uniqueness
 * per gateway only needs the four to differ.
 */
export function insideCidrs(connection: string): [string, string, string, string] {
  const picked: string[] = [];
  for (let round = 0; picked.length < 4; round++) {
    const digest = createHash('sha256').update(`inside|${round}|${connection}`, 'utf8').digest();
    for (let offset = 0; offset + 4 <= digest.length && picked.length < 4; offset += 4) {
      const cidr = slotCidr(digest.readUInt32BE(offset) % INSIDE_SLOTS);
      if ((RESERVED_INSIDE_CIDRS as readonly string[]).includes(cidr) || picked.includes(cidr)) continue;
      picked.push(cidr);
    }
  }
  return [picked[0] as string, picked[1] as string, picked[2] as string, picked[3] as string];
}
