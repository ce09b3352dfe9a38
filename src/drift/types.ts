import type {
  AliCustomerGateway,
  AliRouteEntry,
  AliVpnConnection,
  AliVpnGateway,
  AliVpnRouteEntry,
  AwsRouteTable,
  AwsTgwRoute,
  AwsVpnGateway,
  AwsVpnInventory,
} from '../clouds/types';
import type { Observed } from '../health/tunnels';
import type { DriftRow, RepairStep } from '../registry/record';

// Shapes of the drift check (README.md, docs/sources.md#the-article-and-the-interoperability-guides-interop). Pure types: no SDK, no I/O.

/** An extra resource that carries a connection's tags/name but is not the one the connection uses. */
export interface DuplicateResource {
  cloud: 'aws' | 'alibaba';
  /** 'vpn-gateway' | 'customer-gateway' | 'vpn-connection' | 'ipsec-connection' */
  kind: string;
  id: string;
  /** the role it claims (vpn-bridge:role on AWS, the name suffix on Alibaba) */
  role: string;
}

/** What the clouds show for one connection, found by the creation naming/tagging. */
export interface ObservedConnection extends Observed {
  awsVpnGateway?: AwsVpnGateway;
  /** the record's resolved AWS route tables, by id (absent = the table does not exist) */
  awsRouteTables: Partial<Record<string, AwsRouteTable>>;
  /** on a transit gateway: the static and propagated routes of its route table for the peer CIDRs */
  awsTgwRoutes?: AwsTgwRoute[];
  /** Alibaba customer gateways of this connection, by role (alibaba-cgw-1, alibaba-cgw-2), found by name */
  alibabaOwnCustomerGateways: Partial<Record<string, AliCustomerGateway>>;
  /** entries of the record's Alibaba route table; undefined = not described */
  alibabaRouteEntries?: AliRouteEntry[];
  /** the record's Alibaba route table does not exist */
  alibabaRouteTableMissing?: boolean;
  /** the gateway's VPN route entries; undefined = not fetched (fetched only for connections with an anomaly) */
  alibabaVpnRouteEntries?: AliVpnRouteEntry[];
  duplicates: DuplicateResource[];
}

/** One AWS region, described once for every connection in it. */
export interface AwsRegionSnapshot {
  region: string;
  inventory: AwsVpnInventory;
  routeTables: AwsRouteTable[];
  /** transit gateway route table id -> its routes for the peer CIDRs of the connections on it */
  tgwRoutes?: Record<string, AwsTgwRoute[]>;
}

/** One Alibaba region, described once for every connection in it. */
export interface AlibabaRegionSnapshot {
  region: string;
  gateways: AliVpnGateway[];
  connections: AliVpnConnection[];
  customerGateways: AliCustomerGateway[];
  /** route table id -> its entries (every distinct table of the region's records) */
  routeEntries: Record<string, AliRouteEntry[]>;
  /** route tables that do not exist */
  missingRouteTables: string[];
}

export type ConnectionCheckStatus = 'clean' | 'drifted' | 'skipped' | 'error';

/** The drift of one managed connection. */
export interface ConnectionDrift {
  name: string;
  status: ConnectionCheckStatus;
  /** why skipped / what failed */
  note?: string;
  rows: DriftRow[];
  rowCount: number;
  /** repairable rows */
  repairable: number;
  /** the drift (clean flag + rows) differs from the record's lastDrift: the record needs a write */
  changed: boolean;
}

export interface DriftSummary {
  /** managed connections considered (checked + skipped + errors) */
  connections: number;
  clean: number;
  drifted: number;
  skipped: number;
  errors: number;
  /** drift rows over all connections (UNMANAGED rows of resources without a record included) */
  rows: number;
  /** connections with at least one repairable row */
  repairable: number;
  /** resources carrying vpn-bridge tags/names that belong to no record */
  unmanaged: number;
  /** connections whose routes were re-created by a repair */
  repaired: number;
}

/** The complete result of one drift check (CLI, API; not for state machine state: see DriftCheckState). */
export interface DriftRun {
  at: string;
  results: ConnectionDrift[];
  /** resources with vpn-bridge tags/names that belong to no record */
  unmanaged: DriftRow[];
  summary: DriftSummary;
  /** names whose routes were repaired (repair runs only) */
  repaired: string[];
  /** repairs that failed: name -> cause */
  repairErrors: Record<string, string>;
}

/** Which route-owning provisioning steps a connection's repair runs (the state machine's Map item). */
export interface RepairTarget {
  name: string;
  fix: Record<RepairStep, boolean>;
}

/** A connection's drift as execution state carries it: rows only while they fit the budget. */
export interface StateResult {
  name: string;
  status: ConnectionCheckStatus;
  note?: string;
  /** absent when the rows did not fit the state budget (then `written` says the record was updated directly) */
  rows?: DriftRow[];
  rowCount: number;
  repairable: number;
  changed: boolean;
  /** lastDrift already written by the collecting step */
  written?: boolean;
}

/** Output of the CollectDrift / Recheck tasks: small enough for execution state (256 KiB). */
export interface DriftCheckState {
  at: string;
  repair: boolean;
  /** connections to repair (when repair was asked for) */
  repairCount: number;
  repairNames: string[];
  repairTargets: RepairTarget[];
  summary: DriftSummary;
  /** every connection that is not clean, plus clean ones whose record needs a write; clean unchanged ones omitted */
  results: StateResult[];
  unmanaged: DriftRow[];
  /** some rows were left out of state (the records hold them) */
  truncated: boolean;
}

/** What the Report task returns: the execution output the API and chat show. No secrets. */
export interface DriftReportOutput {
  at: string;
  summary: DriftSummary;
  results: StateResult[];
  unmanaged: DriftRow[];
  truncated: boolean;
  /** lastDrift writes made by the report step */
  written: number;
  repairErrors: Record<string, string>;
}
