// Neutral shapes the core logic works with. Adapters (aws/, alibaba/) translate SDK shapes to these;
// nothing outside the adapters imports an SDK.

import type { ConnectionKey } from '../plan/naming';

export type Tags = Record<string, string>;

export interface AwsVpc {
  vpcId: string;
  cidrs: string[];
}

export interface AwsRouteInfo {
  destination: string;
  gatewayId?: string;
  state: string;
  origin: string;
}

export interface AwsRouteTable {
  id: string;
  vpcId: string;
  main: boolean;
  routes: AwsRouteInfo[];
  propagatingVgws: string[];
}

export interface AwsVpnGateway {
  id: string;
  state: string;
  attachments: Array<{ vpcId: string; state: string }>;
  tags: Tags;
}

export interface AwsCustomerGateway {
  id: string;
  state: string;
  ipAddress: string;
  bgpAsn: string;
  tags: Tags;
}

export interface AwsTunnel {
  outsideIp: string;
  insideCidr: string;
  /** secret: never put it in state, logs or responses */
  psk: string;
  phase1LifetimeSeconds: number;
  phase2LifetimeSeconds: number;
  phase1Encryption: string[];
  phase2Encryption: string[];
  phase1Integrity: string[];
  phase2Integrity: string[];
  phase1DhGroups: number[];
  phase2DhGroups: number[];
  ikeVersions: string[];
  startupAction: string;
  dpdTimeoutSeconds: number;
  dpdTimeoutAction: string;
  /** AWS defaults 270 s / 100 % when the API leaves them out */
  rekeyMarginTimeSeconds?: number;
  rekeyFuzzPercentage?: number;
  telemetry?: { status: 'UP' | 'DOWN' | string; message: string; lastStatusChange?: string };
}

export interface AwsVpnConnection {
  id: string;
  state: string;
  customerGatewayId: string;
  vpnGatewayId?: string;
  /** set when the connection is on a transit gateway (then there is no VGW) */
  transitGatewayId?: string;
  staticRoutesOnly: boolean;
  localCidr?: string;
  remoteCidr?: string;
  tunnels: AwsTunnel[];
  routes: Array<{ destination: string; state: string }>;
  tags: Tags;
  /** the "download configuration" document (contains PSKs) */
  configurationXml?: string;
}

export interface AwsTunnelOptionsInput {
  TunnelInsideCidr: string;
  PreSharedKey?: string;
  Phase1LifetimeSeconds: number;
  Phase2LifetimeSeconds: number;
  DPDTimeoutSeconds: number;
  DPDTimeoutAction: string;
  StartupAction: string;
  Phase1EncryptionAlgorithms: Array<{ Value: string }>;
  Phase2EncryptionAlgorithms: Array<{ Value: string }>;
  Phase1IntegrityAlgorithms: Array<{ Value: string }>;
  Phase2IntegrityAlgorithms: Array<{ Value: string }>;
  Phase1DHGroupNumbers: Array<{ Value: number }>;
  Phase2DHGroupNumbers: Array<{ Value: number }>;
  IKEVersions: Array<{ Value: string }>;
}

export interface AwsTransitGateway {
  id: string;
  state: string;
  /** the route table new attachments are associated with, when default association is enabled */
  defaultAssociationRouteTableId?: string;
}

export interface AwsTgwRouteTable {
  id: string;
  transitGatewayId: string;
  state: string;
}

export interface AwsTgwAttachment {
  id: string;
  transitGatewayId: string;
  resourceType: string;
  /** the VPC id or the VPN connection id */
  resourceId: string;
  state: string;
  association?: { routeTableId: string; state: string };
}

export interface AwsTgwRoute {
  destination: string;
  /** absent for a blackhole route whose attachment is gone */
  attachmentId?: string;
  resourceId?: string;
  type: string;
  state: string;
}

export interface AwsVpnInventory {
  vpnGateways: AwsVpnGateway[];
  customerGateways: AwsCustomerGateway[];
  vpnConnections: AwsVpnConnection[];
}

export interface AwsCloud {
  readonly region: string;
  describeVpc(vpcId: string): Promise<AwsVpc | undefined>;
  describeRouteTables(q: { vpcId?: string; ids?: string[] }): Promise<AwsRouteTable[]>;
  /** by tag; `states` defaults to pending + available */
  findVpnGateways(key: ConnectionKey, states?: string[]): Promise<AwsVpnGateway[]>;
  createVpnGateway(tags: Tags): Promise<AwsVpnGateway>;
  attachVpnGateway(vgwId: string, vpcId: string): Promise<void>;
  /** 'not-attached' when there was nothing to detach */
  detachVpnGateway(vgwId: string, vpcId: string): Promise<'detaching' | 'not-attached'>;
  deleteVpnGateway(id: string): Promise<void>;
  /**
   * a route toward a VGW (`vgw-...`) or a transit gateway (`tgw-...`); 'exists' when the same destination already
   * routes there; another target is an error
   */
  createRoute(routeTableId: string, destination: string, targetId: string): Promise<'created' | 'exists'>;
  deleteRoute(routeTableId: string, destination: string): Promise<void>;
  findCustomerGateways(key: ConnectionKey, states?: string[]): Promise<AwsCustomerGateway[]>;
  createCustomerGateway(ipAddress: string, tags: Tags): Promise<AwsCustomerGateway>;
  deleteCustomerGateway(id: string): Promise<void>;
  findVpnConnections(key: ConnectionKey, states?: string[]): Promise<AwsVpnConnection[]>;
  createVpnConnection(args: {
    customerGatewayId: string;
    /** one of the two: a VGW, or a transit gateway (the connection then comes with a VPN attachment) */
    vpnGatewayId?: string;
    transitGatewayId?: string;
    tunnelOptions: AwsTunnelOptionsInput[];
    tags: Tags;
  }): Promise<AwsVpnConnection>;
  deleteVpnConnection(id: string): Promise<void>;
  createVpnConnectionRoute(vpnConnectionId: string, destination: string): Promise<void>;
  /**
   * ModifyVpnTunnelOptions with only a new pre-shared key for the tunnel with this outside IP. Sent once (no SDK
   * resend): the caller re-reads the key and decides again, so a lost answer never becomes a second replacement.
   */
  setTunnelPsk(vpnConnectionId: string, outsideIp: string, psk: string): Promise<void>;
  /** every vpn-bridge managed VGW, CGW and VPN connection of the region: three calls whatever the count */
  /** every VPN resource vpn-bridge made in this region for a stage (tag `vpn-bridge:stage`) */
  listManaged(stage: string): Promise<AwsVpnInventory>;
  /** every non-deleted VGW, CGW and VPN connection of the region (quota checks) */
  listAll(): Promise<AwsVpnInventory>;
  /**
   * route tables by id through the `route-table-id` filter, paged: an id that does not exist is simply absent
   * (with `RouteTableIds` one missing id fails the whole call). Calls grow with pages, not with ids.
   */
  findRouteTables(ids: string[]): Promise<AwsRouteTable[]>;
  /** VGWs by id through the `vpn-gateway-id` filter (any state): an id that does not exist is simply absent */
  describeVpnGateways(ids: string[]): Promise<AwsVpnGateway[]>;
  /**
   * the VGWs tied to a VPC (attachment attaching, attached or detaching; a VPC takes one), whoever made them: the
   * `attachment.vpc-id` and `attachment.state` filters
   */
  vpnGatewaysOfVpc(vpcId: string): Promise<AwsVpnGateway[]>;
  /** every VPN connection on a VGW that is not deleted (pending, available, deleting), whoever made it */
  vpnConnectionsOfGateway(vgwId: string): Promise<AwsVpnConnection[]>;
  /** a transit gateway by id (absent when it does not exist) */
  describeTransitGateway(id: string): Promise<AwsTransitGateway | undefined>;
  /** a transit gateway route table by id (absent when it does not exist) */
  describeTgwRouteTable(id: string): Promise<AwsTgwRouteTable | undefined>;
  /** the attachments of a transit gateway, by kind and resource (VPC id, VPN connection ids), in any state */
  tgwAttachments(q: {
    transitGatewayId: string;
    resourceType: 'vpc' | 'vpn';
    resourceIds: string[];
  }): Promise<AwsTgwAttachment[]>;
  /** associates an attachment with a route table; an existing association (any table) is left to the caller's re-read */
  associateTgwRouteTable(routeTableId: string, attachmentId: string): Promise<void>;
  /** the routes of a transit gateway route table for exactly these destinations (static and propagated) */
  tgwRoutes(routeTableId: string, destinations: string[]): Promise<AwsTgwRoute[]>;
  /** a static route toward an attachment; a duplicate is left to the caller's re-read */
  createTgwRoute(routeTableId: string, destination: string, attachmentId: string): Promise<void>;
  /** deletes a static route; one already gone is fine */
  deleteTgwRoute(routeTableId: string, destination: string): Promise<void>;
  /**
   * ReplaceTransitGatewayRoute: the static route for `destination` now points at `attachmentId`. A route that is not
   * there is NotReady (the caller re-reads the table and decides again); sent again, it changes nothing.
   */
  replaceTgwRoute(routeTableId: string, destination: string, attachmentId: string): Promise<void>;
}

// ---------------------------------------------------------------- Alibaba

export type GatewayKind = 'dual-tunnel' | 'single-tunnel';

export interface AliVpc {
  vpcId: string;
  cidr: string;
  systemRouteTableId?: string;
}

export interface AliVSwitch {
  id: string;
  vpcId: string;
  zoneId: string;
  cidr: string;
}

export interface AliRouteTable {
  id: string;
  vpcId: string;
  type: string;
}

export interface AliVpnGateway {
  id: string;
  name: string;
  vpcId: string;
  status: string;
  internetIp: string;
  disasterRecoveryInternetIp: string;
  kind: GatewayKind;
}

export interface AliCustomerGateway {
  id: string;
  ipAddress: string;
  name: string;
}

export interface AliIkeConfig {
  IkeVersion: string;
  IkeMode: string;
  IkeEncAlg: string;
  IkeAuthAlg: string;
  IkePfs: string;
  IkeLifetime: number;
  Psk: string;
  /** IKE identities; Alibaba's defaults are the gateway IP (LocalId) and the customer gateway IP (RemoteId) */
  LocalId?: string;
  RemoteId?: string;
}

export interface AliIpsecConfig {
  IpsecEncAlg: string;
  IpsecAuthAlg: string;
  IpsecPfs: string;
  IpsecLifetime: number;
}

export interface AliTunnel {
  tunnelId: string;
  role: string;
  customerGatewayId: string;
  sourceIp: string;
  status: string;
  state: string;
  ike: AliIkeConfig;
  ipsec: AliIpsecConfig;
  enableDpd: boolean;
  enableNatTraversal?: boolean;
}

export interface AliVpnConnection {
  id: string;
  name: string;
  vpnGatewayId: string;
  status: string;
  state: string;
  localSubnet: string;
  remoteSubnet: string;
  effectImmediately: boolean;
  tunnels: AliTunnel[];
}

export interface AliVpnRouteEntry {
  routeDest: string;
  nextHop: string;
  weight: number;
  state: string;
}

export interface AliRouteEntry {
  id: string;
  routeTableId: string;
  destination: string;
  nextHopType: string;
  nextHopId: string;
  status: string;
}

export interface AliTunnelInput {
  customerGatewayId: string;
  role: 'master' | 'slave';
  ike: AliIkeConfig;
  ipsec: AliIpsecConfig;
}

export interface AlibabaCloud {
  readonly region: string;
  /**
   * zones where a VPN gateway of this product type and bandwidth can be made: 'Traditional' (CreateVpnGateway's
   * IPsec + SSL gateways) or 'Enhanced.SiteToSite' (IPsec only). It says nothing about single- or dual-tunnel.
   */
  availableZones(gatewayType: 'Traditional' | 'Enhanced.SiteToSite', bandwidthMbps: number): Promise<string[]>;
  describeVpc(vpcId: string): Promise<AliVpc | undefined>;
  describeVSwitches(vpcId: string): Promise<AliVSwitch[]>;
  describeRouteTables(vpcId: string): Promise<AliRouteTable[]>;
  /** our gateway by VPC + name; one being deleted only with `includeDeleting` (a teardown waits for it to go) */
  findVpnGateway(vpcId: string, name: string, opts?: { includeDeleting?: boolean }): Promise<AliVpnGateway | undefined>;
  /** every VPN gateway of the region (all VPCs), by pages; gateways being deleted included (status 'deleting') */
  listVpnGateways(): Promise<AliVpnGateway[]>;
  createVpnGateway(args: {
    vpcId: string;
    name: string;
    bandwidthMbps: number;
    chargeType: 'POSTPAY' | 'PREPAY';
    periodMonths?: number;
    vSwitchId?: string;
    disasterRecoveryVSwitchId?: string;
    clientToken: string;
  }): Promise<{ id: string }>;
  deleteVpnGateway(id: string, clientToken: string): Promise<void>;
  listCustomerGateways(): Promise<AliCustomerGateway[]>;
  createCustomerGateway(args: {
    ipAddress: string;
    name: string;
    tags: Tags;
    clientToken: string;
  }): Promise<{ id: string }>;
  deleteCustomerGateway(id: string, clientToken: string): Promise<void>;
  listVpnConnections(vpnGatewayId?: string): Promise<AliVpnConnection[]>;
  createVpnConnection(args: {
    vpnGatewayId: string;
    name: string;
    localSubnet: string;
    remoteSubnet: string;
    tags: Tags;
    clientToken: string;
    /** one tunnel (single-tunnel gateways) or master + slave (dual-tunnel) */
    tunnels: AliTunnelInput[];
    mode: GatewayKind;
  }): Promise<{ id: string }>;
  deleteVpnConnection(id: string, clientToken: string): Promise<void>;
  /**
   * a new pre-shared key for one tunnel: ModifyTunnelAttribute (a tunnel of a dual-tunnel connection, by id) or
   * ModifyVpnConnectionAttribute (a single-tunnel connection, whose only tunnel it is)
   */
  setTunnelPsk(args: {
    vpnConnectionId: string;
    mode: GatewayKind;
    tunnelId?: string;
    psk: string;
    clientToken: string;
  }): Promise<void>;
  listVpnRouteEntries(vpnGatewayId: string): Promise<AliVpnRouteEntry[]>;
  createVpnRouteEntry(args: {
    vpnGatewayId: string;
    routeDest: string;
    nextHop: string;
    weight: number;
    clientToken: string;
  }): Promise<void>;
  deleteVpnRouteEntry(args: {
    vpnGatewayId: string;
    routeDest: string;
    nextHop: string;
    weight: number;
    clientToken: string;
  }): Promise<void>;
  listRouteEntries(
    routeTableId: string,
    filter?: { destination?: string; nextHopId?: string },
  ): Promise<AliRouteEntry[]>;
  createRouteEntry(args: {
    routeTableId: string;
    destination: string;
    vpnGatewayId: string;
    name: string;
    clientToken: string;
  }): Promise<{ id: string }>;
  deleteRouteEntry(args: {
    routeEntryId: string;
    routeTableId: string;
    destination: string;
    nextHopId: string;
  }): Promise<void>;
}
