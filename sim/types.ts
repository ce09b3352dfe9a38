// The simulator's world: every resource of both clouds, in plain JSON-able objects.
// Field names follow the providers' SDK shapes (PascalCase) so `/_sim/state` reads like a describe call.
// Times are simulated epoch milliseconds (see clock.ts).

export interface Tag {
  Key: string;
  Value: string;
}

// ---------------------------------------------------------------- AWS (EC2)

export type AwsVpnState = 'pending' | 'available' | 'deleting' | 'deleted';
export type AwsAttachmentState = 'attaching' | 'attached' | 'detaching' | 'detached';

export interface AwsVpc {
  VpcId: string;
  CidrBlock: string;
  /** every associated IPv4 CIDR (primary first) */
  CidrBlocks: string[];
  State: 'available';
  IsDefault: boolean;
  Tags: Tag[];
}

export interface AwsRoute {
  DestinationCidrBlock: string;
  GatewayId?: string;
  /** a route to a transit gateway (CreateRoute TransitGatewayId) */
  TransitGatewayId?: string;
  State: 'active' | 'blackhole';
  Origin: 'CreateRouteTable' | 'CreateRoute' | 'EnableVgwRoutePropagation';
}

export interface AwsRouteTable {
  RouteTableId: string;
  VpcId: string;
  OwnerId: string;
  Main: boolean;
  AssociationId: string;
  Routes: AwsRoute[];
  PropagatingVgws: string[];
  Tags: Tag[];
}

export interface AwsVpcAttachment {
  VpcId: string;
  State: AwsAttachmentState;
}

export interface AwsVpnGateway {
  VpnGatewayId: string;
  State: AwsVpnState;
  Type: 'ipsec.1';
  AvailabilityZone?: string;
  AmazonSideAsn: number;
  VpcAttachments: AwsVpcAttachment[];
  Tags: Tag[];
  /** sim bookkeeping: when it was created (eventual consistency window) */
  CreatedAt: number;
}

export interface AwsCustomerGateway {
  CustomerGatewayId: string;
  State: AwsVpnState;
  Type: 'ipsec.1';
  IpAddress: string;
  BgpAsn: string;
  /** set when the gateway was created with a 32-bit BgpAsnExtended (then BgpAsn holds the same value) */
  BgpAsnExtended?: string;
  DeviceName?: string;
  Tags: Tag[];
  CreatedAt: number;
}

/** Tunnel options as AWS stores them (response spelling). Lists hold plain values. */
export interface AwsTunnelOptions {
  OutsideIpAddress: string;
  TunnelInsideCidr: string;
  PreSharedKey: string;
  Phase1LifetimeSeconds: number;
  Phase2LifetimeSeconds: number;
  RekeyMarginTimeSeconds: number;
  RekeyFuzzPercentage: number;
  ReplayWindowSize: number;
  DpdTimeoutSeconds: number;
  DpdTimeoutAction: 'clear' | 'none' | 'restart';
  Phase1EncryptionAlgorithms: string[];
  Phase2EncryptionAlgorithms: string[];
  Phase1IntegrityAlgorithms: string[];
  Phase2IntegrityAlgorithms: string[];
  Phase1DHGroupNumbers: number[];
  Phase2DHGroupNumbers: number[];
  IkeVersions: string[];
  StartupAction: 'add' | 'start';
  EnableTunnelLifecycleControl: boolean;
}

export interface AwsVpnConnectionRoute {
  DestinationCidrBlock: string;
  Source: 'Static';
  State: AwsVpnState;
}

export interface AwsVgwTelemetry {
  OutsideIpAddress: string;
  Status: 'UP' | 'DOWN';
  StatusMessage: string;
  LastStatusChange: number;
  AcceptedRouteCount: number;
}

/** `modifying` while ModifyVpnTunnelOptions replaces a tunnel endpoint (Terraform's waiter for it) */
export type AwsVpnConnectionState = AwsVpnState | 'modifying';

export interface AwsVpnConnection {
  VpnConnectionId: string;
  State: AwsVpnConnectionState;
  Type: 'ipsec.1';
  Category: 'VPN';
  CustomerGatewayId: string;
  /** '' on a connection to a transit gateway */
  VpnGatewayId: string;
  /** set on a connection to a transit gateway */
  TransitGatewayId?: string;
  StaticRoutesOnly: boolean;
  LocalIpv4NetworkCidr: string;
  RemoteIpv4NetworkCidr: string;
  OutsideIpAddressType: 'PublicIpv4';
  TunnelInsideIpVersion: 'ipv4';
  TunnelOptions: [AwsTunnelOptions, AwsTunnelOptions];
  Routes: AwsVpnConnectionRoute[];
  /** computed by the negotiation model on every tick */
  VgwTelemetry: [AwsVgwTelemetry, AwsVgwTelemetry];
  Tags: Tag[];
  CreatedAt: number;
  /** sim bookkeeping: the tunnel whose endpoint ModifyVpnTunnelOptions is replacing (while State is modifying) */
  Replacing?: 1 | 2;
}

// ---------------------------------------------------------------- AWS (EC2 Transit Gateway)

export type AwsTgwState = 'pending' | 'available' | 'modifying' | 'deleting' | 'deleted';

export interface AwsTransitGatewayOptions {
  AmazonSideAsn: number;
  AutoAcceptSharedAttachments: 'enable' | 'disable';
  DefaultRouteTableAssociation: 'enable' | 'disable';
  AssociationDefaultRouteTableId?: string;
  DefaultRouteTablePropagation: 'enable' | 'disable';
  PropagationDefaultRouteTableId?: string;
  VpnEcmpSupport: 'enable' | 'disable';
  DnsSupport: 'enable' | 'disable';
  SecurityGroupReferencingSupport: 'enable' | 'disable';
  MulticastSupport: 'enable' | 'disable';
  TransitGatewayCidrBlocks: string[];
}

export interface AwsTransitGateway {
  TransitGatewayId: string;
  State: AwsTgwState;
  Description?: string;
  Options: AwsTransitGatewayOptions;
  Tags: Tag[];
  CreatedAt: number;
}

/** a static route of a transit gateway route table (propagated routes are derived on every read) */
export interface AwsTgwStaticRoute {
  DestinationCidrBlock: string;
  /** absent for a blackhole route */
  TransitGatewayAttachmentId?: string;
  Blackhole: boolean;
}

export interface AwsTgwRouteTable {
  TransitGatewayRouteTableId: string;
  TransitGatewayId: string;
  State: 'pending' | 'available' | 'deleting' | 'deleted';
  DefaultAssociationRouteTable: boolean;
  DefaultPropagationRouteTable: boolean;
  Routes: AwsTgwStaticRoute[];
  /** attachments propagating their routes into this table */
  Propagations: string[];
  Tags: Tag[];
  CreatedAt: number;
}

export type AwsTgwAttachmentState =
  | 'pending'
  | 'available'
  | 'modifying'
  | 'deleting'
  | 'deleted'
  | 'failed'
  | 'rejected'
  | 'pendingAcceptance';

export interface AwsTgwAttachment {
  TransitGatewayAttachmentId: string;
  TransitGatewayId: string;
  ResourceType: 'vpc' | 'vpn';
  /** vpc-... or vpn-... */
  ResourceId: string;
  State: AwsTgwAttachmentState;
  Association?: { TransitGatewayRouteTableId: string; State: 'associating' | 'associated' | 'disassociating' };
  /** VPC attachments only */
  SubnetIds?: string[];
  Tags: Tag[];
  CreatedAt: number;
}

export interface AwsRegionState {
  vpcs: Record<string, AwsVpc>;
  routeTables: Record<string, AwsRouteTable>;
  vpnGateways: Record<string, AwsVpnGateway>;
  customerGateways: Record<string, AwsCustomerGateway>;
  vpnConnections: Record<string, AwsVpnConnection>;
  transitGateways: Record<string, AwsTransitGateway>;
  tgwRouteTables: Record<string, AwsTgwRouteTable>;
  tgwAttachments: Record<string, AwsTgwAttachment>;
}

// ---------------------------------------------------------------- AWS (Secrets Manager)

export interface SecretVersion {
  VersionId: string;
  SecretString?: string;
  SecretBinary?: string; // base64
  VersionStages: string[];
  CreatedDate: number;
  ClientRequestToken: string;
}

export interface Secret {
  ARN: string;
  Name: string;
  Description?: string;
  KmsKeyId?: string;
  Tags: Tag[];
  Versions: SecretVersion[];
  CreatedDate: number;
  LastChangedDate: number;
  LastAccessedDate?: number;
  /** set while scheduled for deletion */
  DeletedDate?: number;
  /** when the scheduled deletion happens */
  DeletionDate?: number;
}

// ---------------------------------------------------------------- AWS (Step Functions; issue 4)

export interface SfnStateMachine {
  stateMachineArn: string;
  name: string;
  definition: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  creationDate: number;
  /** set by UpdateStateMachine */
  updateDate?: number;
  revisionId?: string;
}

export type SfnExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface SfnHistoryEvent {
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  details: Record<string, unknown>;
}

export interface SfnExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: SfnExecutionStatus;
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  traceHeader?: string;
  history: SfnHistoryEvent[];
}

export interface AwsAccountState {
  accountId: string;
  regions: Record<string, AwsRegionState>;
  /** Secrets Manager, keyed by region then ARN */
  secrets: Record<string, Record<string, Secret>>;
  stateMachines: Record<string, SfnStateMachine>;
  executions: Record<string, SfnExecution>;
  /** CloudWatch metric alarms, keyed by region then alarm name (made on first use) */
  alarms?: Record<string, Record<string, MetricAlarm>>;
}

// ---------------------------------------------------------------- AWS (CloudWatch)

export interface MetricAlarm {
  AlarmName: string;
  AlarmArn: string;
  AlarmDescription?: string;
  ActionsEnabled: boolean;
  AlarmActions: string[];
  OKActions: string[];
  InsufficientDataActions: string[];
  MetricName: string;
  Namespace: string;
  Statistic: string;
  Dimensions: Array<{ Name: string; Value: string }>;
  Period: number;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold: number;
  ComparisonOperator: string;
  TreatMissingData?: string;
  StateValue: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  StateReason: string;
  /** epoch seconds */
  StateUpdatedTimestamp: number;
  AlarmConfigurationUpdatedTimestamp: number;
}

// ---------------------------------------------------------------- Alibaba Cloud (VPC 2016-04-28)

export type AliGatewayKind = 'dual-tunnel' | 'single-tunnel';

export interface AliZone {
  ZoneId: string;
  LocalName: string;
}

export interface AliVpc {
  VpcId: string;
  VpcName: string;
  CidrBlock: string;
  /** CreateVpc: Pending until created; DeleteVpc: Deleting until gone */
  Status: 'Pending' | 'Available' | 'Deleting';
  RouterId: string;
  /** id of the system route table */
  RouteTableId: string;
  VSwitchIds: string[];
  CreationTime: string;
}

export interface AliVSwitch {
  VSwitchId: string;
  VpcId: string;
  ZoneId: string;
  CidrBlock: string;
  VSwitchName: string;
  /** CreateVSwitch: Pending until created; DeleteVSwitch: Pending again until gone */
  Status: 'Pending' | 'Available';
  RouteTableId: string;
  /** sim bookkeeping: being deleted (DeleteVSwitch) */
  Deleting?: boolean;
  CreatedAt?: number;
}

export interface AliRouteTable {
  RouteTableId: string;
  RouteTableType: 'System' | 'Custom';
  RouteTableName: string;
  RouterId: string;
  RouterType: 'VRouter';
  VpcId: string;
  Status: 'Available';
  VSwitchIds: string[];
  CreationTime: string;
}

export interface AliRouteEntry {
  RouteEntryId: string;
  RouteTableId: string;
  DestinationCidrBlock: string;
  Type: 'System' | 'Custom';
  Status: 'Pending' | 'Available' | 'Deleting';
  NextHopType: string;
  NextHopId: string;
  RouteEntryName?: string;
  Description?: string;
  /** set when created by PublishVpc on a VPN route entry */
  Origin?: string;
  /** last change, ISO 8601 (DescribeRouteEntryList GmtModified) */
  GmtModified?: string;
}

export type AliVpnGatewayStatus = 'init' | 'provisioning' | 'active' | 'updating' | 'deleting';

export interface AliVpnGateway {
  VpnGatewayId: string;
  VpcId: string;
  VSwitchId: string;
  DisasterRecoveryVSwitchId?: string;
  Name: string;
  Description?: string;
  Status: AliVpnGatewayStatus;
  BusinessStatus: 'Normal' | 'FinancialLocked';
  /** '' until active */
  InternetIp: string;
  /** dual-tunnel gateways only; '' until active */
  DisasterRecoveryInternetIp?: string;
  /** dual-tunnel gateways with SSL enabled; '' until active */
  SslVpnInternetIp?: string;
  Spec: string;
  ChargeType: string;
  IpsecVpn: 'enable' | 'disable';
  SslVpn: 'enable' | 'disable';
  SslMaxConnections: number;
  NetworkType: 'public' | 'private';
  GatewayType: 'Traditional' | 'Enhanced.SiteToSite';
  VpnType: 'Normal';
  EnableBgp: boolean;
  AutoPropagate: boolean;
  CreateTime: number;
  EndTime: number;
  Tags: Tag[];
  OrderId: number;
}

export interface AliCustomerGateway {
  CustomerGatewayId: string;
  IpAddress: string;
  Name: string;
  Description?: string;
  Asn?: number;
  AuthKey?: string;
  CreateTime: number;
  Tags: Tag[];
}

export interface AliIkeConfig {
  Psk: string;
  IkeVersion: string;
  IkeMode: string;
  IkeEncAlg: string;
  IkeAuthAlg: string;
  IkePfs: string;
  IkeLifetime: number;
  LocalId: string;
  RemoteId: string;
}

export interface AliIpsecConfig {
  IpsecEncAlg: string;
  IpsecAuthAlg: string;
  IpsecPfs: string;
  IpsecLifetime: number;
}

/** single-tunnel HealthCheckConfig (lowercase keys on the wire) */
export interface AliHealthCheckConfig {
  enable: boolean;
  dip: string;
  sip: string;
  interval: number;
  retry: number;
}

/** per-tunnel BGP settings (dual-tunnel TunnelBgpConfig) */
export interface AliTunnelBgpConfig {
  LocalAsn: number;
  LocalBgpIp: string;
  TunnelCidr: string;
}

export type AliTunnelNegotiationStatus =
  | 'ike_sa_not_established'
  | 'ike_sa_established'
  | 'ipsec_sa_not_established'
  | 'ipsec_sa_established';

export interface AliTunnel {
  TunnelId: string;
  TunnelIndex: number;
  Role: 'master' | 'slave';
  CustomerGatewayId: string;
  /** Alibaba-side IP this tunnel leaves from */
  InternetIp: string;
  ZoneNo: string;
  State: 'active' | 'updating' | 'deleting';
  /** computed by the negotiation model */
  Status: AliTunnelNegotiationStatus;
  EnableDpd: boolean;
  EnableNatTraversal: boolean;
  TunnelIkeConfig: AliIkeConfig;
  TunnelIpsecConfig: AliIpsecConfig;
  TunnelBgpConfig?: AliTunnelBgpConfig;
}

export interface AliVpnConnection {
  VpnConnectionId: string;
  VpnGatewayId: string;
  Name: string;
  /** single-tunnel connections only */
  CustomerGatewayId?: string;
  LocalSubnet: string;
  RemoteSubnet: string;
  EffectImmediately: boolean;
  AutoConfigRoute: boolean;
  EnableDpd: boolean;
  EnableNatTraversal: boolean;
  EnableTunnelsBgp: boolean;
  CreateTime: number;
  /** 'active' once the gateway finished applying it */
  State: 'init' | 'active' | 'updating' | 'deleting';
  /** connection-level negotiation status (single-tunnel: the tunnel's; dual: master's) */
  Status: AliTunnelNegotiationStatus;
  /** single-tunnel mode keeps crypto at the top level */
  IkeConfig?: AliIkeConfig;
  IpsecConfig?: AliIpsecConfig;
  /** single-tunnel mode only */
  HealthCheckConfig?: AliHealthCheckConfig;
  /** dual-tunnel mode: exactly two tunnels (master, slave); single-tunnel: one synthesized tunnel */
  Tunnels: AliTunnel[];
  Mode: AliGatewayKind;
  Tags: Tag[];
}

export interface AliVpnRouteEntry {
  VpnInstanceId: string;
  RouteDest: string;
  NextHop: string;
  Weight: number;
  OverlayMode: string;
  PublishVpc: boolean;
  Description?: string;
  State: 'published' | 'normal';
  CreateTime: number;
  RouteEntryType: 'custom';
}

export interface AliRegionState {
  /**
   * The tunnel mode of the VPN gateways CreateVpnGateway makes here. The API has no parameter for it: Alibaba
   * upgraded most regions to dual-tunnel gateways (two IPs, DisasterRecoveryVSwitchId required); a few stay
   * single-tunnel. Nothing in the API tells the two apart before a gateway exists.
   */
  kind: AliGatewayKind;
  zones: AliZone[];
  /** zones where Enhanced.SiteToSite gateways (another product, CreateEnhancedVpnGateway) can be made */
  enhancedZones: string[];
  /**
   * What CreateVpnGateway does with a DisasterRecoveryVSwitchId in a single-tunnel region. The documentation is
   * silent (it is required in dual-tunnel regions); 'ignored' (default) makes a single-tunnel gateway without the
   * disaster-recovery fields, 'refused' answers IllegalParam.DisasterRecoveryVSwitchId (both assumed).
   */
  singleTunnelDisasterRecoveryVSwitch: 'ignored' | 'refused';
  vpcs: Record<string, AliVpc>;
  vswitches: Record<string, AliVSwitch>;
  routeTables: Record<string, AliRouteTable>;
  routeEntries: Record<string, AliRouteEntry>;
  vpnGateways: Record<string, AliVpnGateway>;
  customerGateways: Record<string, AliCustomerGateway>;
  vpnConnections: Record<string, AliVpnConnection>;
  vpnRouteEntries: AliVpnRouteEntry[];
}

export interface AlibabaAccountState {
  regions: Record<string, AliRegionState>;
  /** ClientToken idempotency: `${region}|${action}|${token}` -> the JSON body first returned and its request */
  clientTokens: Record<string, { body: Record<string, unknown>; request: string }>;
}

// ---------------------------------------------------------------- the whole world

export interface WorldState {
  aws: AwsAccountState;
  alibaba: AlibabaAccountState;
  /** tunnels forced down through the admin API: keys are `aws:<vpn-id>:<1|2>` or `alibaba:<tun-id>` */
  forcedDown: Record<string, true>;
}
