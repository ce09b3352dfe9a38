// How long each asynchronous provider change takes, in simulated seconds. One table, overridable
// (`startSimulator({ latencies })`, `PUT /_sim/config`). Typical values inside the ranges the AWS Site-to-Site VPN
// user guide and Alibaba's VPN Gateway documentation give for each change. The product plans its waits around the
// same values (src/plan/latencies.ts; the simulator imports nothing from src/, a unit test keeps the tables equal).

export const DEFAULT_LATENCIES = {
  /** VGW pending -> available (seconds to a couple of minutes) */
  'aws.vpnGateway.create': 60,
  /** attaching -> attached */
  'aws.vpnGateway.attach': 20,
  /** detaching -> detached */
  'aws.vpnGateway.detach': 20,
  /** deleting -> deleted */
  'aws.vpnGateway.delete': 30,
  /** CGW pending -> available */
  'aws.customerGateway.create': 10,
  'aws.customerGateway.delete': 10,
  /** VPN connection pending -> available (5-10 min) */
  'aws.vpnConnection.create': 420,
  'aws.vpnConnection.delete': 120,
  /** static route pending -> available (Terraform waits at most 15 s) */
  'aws.vpnConnectionRoute.create': 5,
  'aws.vpnConnectionRoute.delete': 5,
  /** how long deleted VPN objects stay visible with State=deleted */
  'aws.deletedVisibility': 3600,
  /** Alibaba VPN gateway provisioning -> active (1-5 min) */
  'alibaba.vpnGateway.create': 150,
  /** active -> updating -> active around each connection/route change */
  'alibaba.vpnGateway.update': 15,
  /** deleting -> gone */
  'alibaba.vpnGateway.delete': 60,
  /** VPC route entry Pending -> Available, Deleting -> gone */
  'alibaba.routeEntry.create': 5,
  'alibaba.routeEntry.delete': 5,
  /** Alibaba VPC Pending -> Available (CreateVpc is asynchronous; seconds) */
  'alibaba.vpc.create': 5,
  /** Alibaba VPC Deleting -> gone */
  'alibaba.vpc.delete': 5,
  /** Alibaba vSwitch Pending -> Available, and Pending -> gone after DeleteVSwitch */
  'alibaba.vSwitch.create': 5,
  'alibaba.vSwitch.delete': 5,
  /** EC2 transit gateway pending -> available (minutes; assumed 3 min) */
  'aws.transitGateway.create': 180,
  'aws.transitGateway.delete': 60,
  /** transit gateway attachment (VPC) pending -> available, deleting -> deleted */
  'aws.transitGatewayAttachment.create': 60,
  'aws.transitGatewayAttachment.delete': 60,
  /** route table association / propagation changes (associating -> associated) */
  'aws.transitGatewayAssociation': 5,
  /**
   * ModifyVpnTunnelOptions: the VPN connection is `modifying` and the modified tunnel is unavailable while its
   * endpoint is replaced (the user guide gives no duration: assumed 4 min, Terraform waits up to 30)
   */
  'aws.vpnTunnel.replace': 240,
  /** both ends ready and compatible -> phase 2 up */
  'tunnel.negotiation': 20,
  /** with mismatched lifetimes: DOWN time after each failed rekey before renegotiating */
  'tunnel.flapDown': 45,
} as const;

export type LatencyKey = keyof typeof DEFAULT_LATENCIES;
export type Latencies = Record<LatencyKey, number>;

export function resolveLatencies(overrides: Partial<Record<string, number>> = {}): Latencies {
  const out: Latencies = { ...DEFAULT_LATENCIES };
  for (const [k, v] of Object.entries(overrides)) {
    if (!(k in DEFAULT_LATENCIES))
      throw new Error(`unknown latency key "${k}"; known: ${Object.keys(DEFAULT_LATENCIES).join(', ')}`);
    if (typeof v !== 'number' || !(v >= 0)) throw new Error(`latency "${k}" must be a number >= 0`);
    out[k as LatencyKey] = v;
  }
  return out;
}
