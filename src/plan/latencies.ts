// How long each asynchronous provider change typically takes, in seconds: what the provisioning, teardown and
// drift-repair waits plan around (scripts/statemachines.ts waits most of it in a Wait state, then polls briefly) and
// what the critical path (critical-path.ts) is measured against. Typical values inside the ranges the AWS
// Site-to-Site VPN user guide and Alibaba Cloud's VPN Gateway documentation give (docs/waits.md). The simulator
// models the same latencies (sim/core/latencies.ts, which imports nothing from here); a unit test keeps the two
// tables equal.

export const PROVIDER_LATENCIES = {
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

export type ProviderLatencyKey = keyof typeof PROVIDER_LATENCIES;
