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
  /** both ends ready and compatible -> phase 2 up */
  'tunnel.negotiation': 20,
  /** with mismatched lifetimes: DOWN time after each failed rekey before renegotiating */
  'tunnel.flapDown': 45,
} as const;

export type ProviderLatencyKey = keyof typeof PROVIDER_LATENCIES;
