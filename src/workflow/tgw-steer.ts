import { ProviderRejected, VpnBridgeError } from '../errors';

// Which VPN attachment the transit gateway routes of a dual-tunnel connection should point at (docs/attach-points.md,
// "Failover"). A transit gateway route table holds one static route per CIDR, toward one attachment: vpn-bridge keeps
// it on the VPN connection whose used tunnel is UP, the active one (vpn-1) by preference. Pure: the caller reads the
// VPN connections, their attachments and the routes, and makes the changes this decides.

/** the state of one of this connection's VPN connections, for the decision */
export interface SteerConnection {
  /** plan role, 'vpn-1' (active) or 'vpn-2' (standby) */
  role: string;
  /** its VPN attachment on the transit gateway (absent while not listed) */
  attachmentId?: string;
  /** AWS's telemetry status of its used tunnel */
  status: 'UP' | 'DOWN' | string;
}

export interface SteerInput {
  /** the connection's VPN connections in order of preference (the active first) */
  connections: SteerConnection[];
  /** the destinations the connection routes (its Alibaba CIDRs) */
  destinations: string[];
  /** the static routes of the table for those destinations now (a destination without one is absent) */
  routes: Array<{ destination: string; attachmentId?: string }>;
  /** rotation: move the routes off this role's connection (refused when the other one is not UP) */
  avoid?: string;
  /** for the messages */
  routeTableId: string;
}

export interface SteerChange {
  destination: string;
  from: string;
  to: string;
}

export interface SteerDecision {
  /** the attachment the routes should point at; absent: leave them as they are (nothing is UP) */
  target?: { role: string; attachmentId: string };
  /** the routes to replace (none when they already point at the target) */
  changes: SteerChange[];
  /** one line on why */
  reason: string;
}

/** the routes cannot be moved off a VPN connection as asked (rotation): the other one is not UP */
export class SteerRefused extends VpnBridgeError {
  readonly retryable = false;
  constructor(message: string) {
    super(message, { cloud: 'aws' });
    this.name = 'SteerRefused';
  }
}

const usable = (c: SteerConnection | undefined): c is SteerConnection & { attachmentId: string } =>
  c !== undefined && c.status === 'UP' && c.attachmentId !== undefined;

function choose(input: SteerInput): { target?: SteerConnection & { attachmentId: string }; reason: string } {
  const { connections, avoid } = input;
  if (avoid !== undefined) {
    const others = connections.filter((c) => c.role !== avoid);
    const other = others.find(usable);
    if (!other) {
      const names = others.map((c) => `${c.role} is ${c.attachmentId ? c.status : 'without an attachment'}`);
      throw new SteerRefused(
        `cannot move the transit gateway routes off ${avoid}: ${names.length > 0 ? names.join(', ') : 'there is no other VPN connection'}`,
      );
    }
    return { target: other, reason: `off ${avoid} (asked for), ${other.role} is UP` };
  }
  const target = connections.find(usable);
  if (!target) return { reason: 'no VPN connection has its used tunnel UP: the routes stay as they are' };
  const [first] = connections;
  return {
    target,
    reason: target === first ? `${target.role} is UP` : `${first?.role ?? 'the active'} is not UP, ${target.role} is`,
  };
}

/**
 * The target attachment and the routes to replace. A destination without a route is not this decision's (the
 * provisioning step makes it); a route toward an attachment that is not one of this connection's is refused
 * (ProviderRejected, like the provisioning step), never replaced.
 */
export function decideSteer(input: SteerInput): SteerDecision {
  const ours = new Set(input.connections.flatMap((c) => (c.attachmentId ? [c.attachmentId] : [])));
  for (const r of input.routes) {
    if (!input.destinations.includes(r.destination)) continue;
    if (!r.attachmentId || !ours.has(r.attachmentId))
      throw new ProviderRejected(
        `transit gateway route table ${input.routeTableId} routes ${r.destination} to ${r.attachmentId ?? 'a blackhole'}, not one of this connection's attachments: it is left alone`,
        { cloud: 'aws' },
      );
  }
  const { target, reason } = choose(input);
  if (!target) return { changes: [], reason };
  const changes: SteerChange[] = [];
  for (const dest of input.destinations) {
    const r = input.routes.find((x) => x.destination === dest);
    if (r?.attachmentId && r.attachmentId !== target.attachmentId)
      changes.push({ destination: dest, from: r.attachmentId, to: target.attachmentId });
  }
  return { target: { role: target.role, attachmentId: target.attachmentId }, changes, reason };
}
