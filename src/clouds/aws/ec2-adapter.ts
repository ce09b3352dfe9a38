import {
  AssociateTransitGatewayRouteTableCommand,
  AttachVpnGatewayCommand,
  CreateCustomerGatewayCommand,
  CreateRouteCommand,
  CreateTransitGatewayRouteCommand,
  CreateVpnConnectionCommand,
  CreateVpnConnectionRouteCommand,
  CreateVpnGatewayCommand,
  type CustomerGateway,
  DeleteCustomerGatewayCommand,
  DeleteRouteCommand,
  DeleteTransitGatewayRouteCommand,
  DeleteVpnConnectionCommand,
  DeleteVpnGatewayCommand,
  DescribeCustomerGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewaysCommand,
  DescribeVpcsCommand,
  DescribeVpnConnectionsCommand,
  DescribeVpnGatewaysCommand,
  DetachVpnGatewayCommand,
  type EC2Client,
  type Filter,
  ModifyVpnTunnelOptionsCommand,
  ReplaceTransitGatewayRouteCommand,
  type RouteTable,
  SearchTransitGatewayRoutesCommand,
  type Tag,
  type VpnConnection,
  type VpnGateway,
} from '@aws-sdk/client-ec2';
import { NotReady, OutcomeUnknown, ProviderUnavailable } from '../../errors';
import { awsTagFilters, type ConnectionKey, TAG_STAGE } from '../../plan/naming';
import type {
  AwsCloud,
  AwsCustomerGateway,
  AwsRouteTable,
  AwsTgwAttachment,
  AwsTgwRoute,
  AwsTransitGateway,
  AwsTunnel,
  AwsVpnConnection,
  AwsVpnGateway,
  Tags,
} from '../types';
import { awsErrorCode, isAwsNotFound, type MapOptions, mapAwsError } from './errors';

// The EC2 half of vpn-bridge behind the small AwsCloud interface. Two injected clients: `ec2` for
// reads and idempotent calls (the SDK retries transport blips), and `ec2Once` (maxAttempts 1) for the
// creates that EC2 does not make idempotent (CreateVpnGateway, CreateVpnConnection): a response lost
// after the action happened must surface to the state machine, whose retry looks the resource up by
// tag before creating again — an SDK-level resend would create a duplicate.

const tagsOf = (t: Tag[] | undefined): Tags => Object.fromEntries((t ?? []).map((x) => [x.Key ?? '', x.Value ?? '']));
const tagList = (t: Tags): Tag[] => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));
const values = <T>(xs: Array<{ Value?: T }> | undefined): T[] =>
  (xs ?? []).map((x) => x.Value).filter((v): v is T => v !== undefined);
const LIVE = ['pending', 'available'];
/** calls about the resources the workflow created: *.NotFound right after a create means "not visible yet" */
const OWN: MapOptions = { ownResources: true };
const notDeleted = { Name: 'state', Values: LIVE };

function toVgw(v: VpnGateway): AwsVpnGateway {
  return {
    id: v.VpnGatewayId ?? '',
    state: v.State ?? 'unknown',
    attachments: (v.VpcAttachments ?? []).map((a) => ({ vpcId: a.VpcId ?? '', state: a.State ?? 'unknown' })),
    tags: tagsOf(v.Tags),
  };
}

function toCgw(c: CustomerGateway): AwsCustomerGateway {
  return {
    id: c.CustomerGatewayId ?? '',
    state: c.State ?? 'unknown',
    ipAddress: c.IpAddress ?? '',
    bgpAsn: c.BgpAsn ?? '',
    tags: tagsOf(c.Tags),
  };
}

function toVpn(v: VpnConnection): AwsVpnConnection {
  const telemetry = v.VgwTelemetry ?? [];
  const tunnels: AwsTunnel[] = (v.Options?.TunnelOptions ?? []).map((t) => {
    const tel = telemetry.find((x) => x.OutsideIpAddress === t.OutsideIpAddress);
    return {
      outsideIp: t.OutsideIpAddress ?? '',
      insideCidr: t.TunnelInsideCidr ?? '',
      psk: t.PreSharedKey ?? '',
      phase1LifetimeSeconds: t.Phase1LifetimeSeconds ?? 28800,
      phase2LifetimeSeconds: t.Phase2LifetimeSeconds ?? 3600,
      phase1Encryption: values(t.Phase1EncryptionAlgorithms),
      phase2Encryption: values(t.Phase2EncryptionAlgorithms),
      phase1Integrity: values(t.Phase1IntegrityAlgorithms),
      phase2Integrity: values(t.Phase2IntegrityAlgorithms),
      phase1DhGroups: values(t.Phase1DHGroupNumbers),
      phase2DhGroups: values(t.Phase2DHGroupNumbers),
      ikeVersions: values(t.IkeVersions),
      startupAction: t.StartupAction ?? 'add',
      dpdTimeoutSeconds: t.DpdTimeoutSeconds ?? 30,
      dpdTimeoutAction: t.DpdTimeoutAction ?? 'clear',
      rekeyMarginTimeSeconds: t.RekeyMarginTimeSeconds ?? 270,
      rekeyFuzzPercentage: t.RekeyFuzzPercentage ?? 100,
      telemetry: tel
        ? {
            status: tel.Status ?? 'DOWN',
            message: tel.StatusMessage ?? '',
            lastStatusChange: tel.LastStatusChange?.toISOString(),
          }
        : undefined,
    };
  });
  return {
    id: v.VpnConnectionId ?? '',
    state: v.State ?? 'unknown',
    customerGatewayId: v.CustomerGatewayId ?? '',
    vpnGatewayId: v.VpnGatewayId,
    transitGatewayId: v.TransitGatewayId,
    staticRoutesOnly: v.Options?.StaticRoutesOnly ?? false,
    localCidr: v.Options?.LocalIpv4NetworkCidr,
    remoteCidr: v.Options?.RemoteIpv4NetworkCidr,
    tunnels,
    routes: (v.Routes ?? []).map((r) => ({ destination: r.DestinationCidrBlock ?? '', state: r.State ?? 'unknown' })),
    tags: tagsOf(v.Tags),
    configurationXml: v.CustomerGatewayConfiguration,
  };
}

function toRouteTable(t: RouteTable): AwsRouteTable {
  return {
    id: t.RouteTableId ?? '',
    vpcId: t.VpcId ?? '',
    main: (t.Associations ?? []).some((a) => a.Main === true),
    routes: (t.Routes ?? []).map((r) => ({
      destination: r.DestinationCidrBlock ?? '',
      // a route toward a transit gateway names it in TransitGatewayId
      gatewayId: r.GatewayId ?? r.TransitGatewayId,
      state: r.State ?? 'unknown',
      origin: r.Origin ?? 'unknown',
    })),
    propagatingVgws: (t.PropagatingVgws ?? []).map((p) => p.GatewayId ?? '').filter(Boolean),
  };
}

export class Ec2Adapter implements AwsCloud {
  constructor(
    readonly region: string,
    private readonly ec2: EC2Client,
    private readonly ec2Once: EC2Client = ec2,
  ) {}

  private async call<T>(doing: string, fn: () => Promise<T>, o: MapOptions = {}): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw mapAwsError(e, doing, o);
    }
  }

  /** a call about the resources the workflow created (see OWN) */
  private callOwn<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    return this.call(doing, fn, OWN);
  }

  /** run a delete; not-found (and the like) means it is already gone */
  private async gone(doing: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      if (isAwsNotFound(e)) return;
      throw mapAwsError(e, doing);
    }
  }

  async describeVpc(vpcId: string) {
    try {
      const r = await this.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
      const v = r.Vpcs?.[0];
      if (!v) return undefined;
      const cidrs = (v.CidrBlockAssociationSet ?? []).map((a) => a.CidrBlock ?? '').filter(Boolean);
      return { vpcId, cidrs: cidrs.length > 0 ? cidrs : [v.CidrBlock ?? ''] };
    } catch (e) {
      if (isAwsNotFound(e)) return undefined;
      throw mapAwsError(e, `DescribeVpcs ${vpcId}`);
    }
  }

  async describeRouteTables(q: { vpcId?: string; ids?: string[] }) {
    const filters: Filter[] = q.vpcId ? [{ Name: 'vpc-id', Values: [q.vpcId] }] : [];
    const out: AwsRouteTable[] = [];
    let token: string | undefined;
    do {
      const r = await this.call('DescribeRouteTables', () =>
        this.ec2.send(
          new DescribeRouteTablesCommand({
            RouteTableIds: q.ids,
            Filters: filters.length > 0 ? filters : undefined,
            NextToken: token,
            MaxResults: q.ids ? undefined : 100,
          }),
        ),
      );
      out.push(...(r.RouteTables ?? []).map(toRouteTable));
      token = r.NextToken;
    } while (token);
    return out;
  }

  async findVpnGateways(key: ConnectionKey, states: string[] = LIVE) {
    const r = await this.callOwn('DescribeVpnGateways', () =>
      this.ec2.send(
        new DescribeVpnGatewaysCommand({
          Filters: [...awsTagFilters(key), { Name: 'state', Values: states }],
        }),
      ),
    );
    return (r.VpnGateways ?? []).map(toVgw);
  }

  /**
   * A create EC2 does not make idempotent (no ClientToken): an answer that never came, or a 5xx, leaves its outcome
   * unknown, and the resource it may have made is missing from tag-filtered describes for a while (eventual
   * consistency). OutcomeUnknown makes the state machine retry only after that settled.
   */
  private async createOnce<T>(doing: string, fn: () => Promise<T>, o: MapOptions = {}): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const mapped = mapAwsError(e, doing, o);
      if (mapped instanceof ProviderUnavailable)
        throw new OutcomeUnknown(`${mapped.message} (the create may have happened)`, {
          cloud: 'aws',
          providerCode: mapped.providerCode,
          requestId: mapped.requestId,
        });
      throw mapped;
    }
  }

  async createVpnGateway(tags: Tags) {
    const r = await this.createOnce('CreateVpnGateway', () =>
      this.ec2Once.send(
        new CreateVpnGatewayCommand({
          Type: 'ipsec.1',
          TagSpecifications: [{ ResourceType: 'vpn-gateway', Tags: tagList(tags) }],
        }),
      ),
    );
    if (!r.VpnGateway) throw mapAwsError(new Error('no VpnGateway in the response'), 'CreateVpnGateway');
    return toVgw(r.VpnGateway);
  }

  async attachVpnGateway(vgwId: string, vpcId: string) {
    try {
      await this.ec2.send(new AttachVpnGatewayCommand({ VpnGatewayId: vgwId, VpcId: vpcId }));
    } catch (e) {
      // a resend after a lost response meets its own attachment: that is success
      const vgw = await this.ec2
        .send(new DescribeVpnGatewaysCommand({ VpnGatewayIds: [vgwId] }))
        .then((r) => (r.VpnGateways?.[0] ? toVgw(r.VpnGateways[0]) : undefined))
        .catch(() => undefined);
      if (vgw?.attachments.some((a) => a.vpcId === vpcId && (a.state === 'attaching' || a.state === 'attached')))
        return;
      throw mapAwsError(e, `AttachVpnGateway ${vgwId} to ${vpcId}`, OWN);
    }
  }

  async detachVpnGateway(vgwId: string, vpcId: string): Promise<'detaching' | 'not-attached'> {
    try {
      await this.ec2.send(new DetachVpnGatewayCommand({ VpnGatewayId: vgwId, VpcId: vpcId }));
      return 'detaching';
    } catch (e) {
      if (isAwsNotFound(e)) return 'not-attached';
      throw mapAwsError(e, `DetachVpnGateway ${vgwId}`);
    }
  }

  deleteVpnGateway(id: string) {
    return this.gone(`DeleteVpnGateway ${id}`, () => this.ec2.send(new DeleteVpnGatewayCommand({ VpnGatewayId: id })));
  }

  async createRoute(routeTableId: string, destination: string, vgwId: string): Promise<'created' | 'exists'> {
    const target = vgwId.startsWith('tgw-') ? { TransitGatewayId: vgwId } : { GatewayId: vgwId };
    try {
      await this.ec2.send(
        new CreateRouteCommand({ RouteTableId: routeTableId, DestinationCidrBlock: destination, ...target }),
      );
      return 'created';
    } catch (e) {
      if (awsErrorCode(e) !== 'RouteAlreadyExists')
        throw mapAwsError(e, `CreateRoute ${destination} in ${routeTableId}`, OWN);
      // Success only when the existing route already targets our VGW (docs/sources.md#aws-aws).
      const [table] = await this.describeRouteTables({ ids: [routeTableId] });
      const existing = table?.routes.find((r) => r.destination === destination);
      if (existing?.gatewayId === vgwId) return 'exists';
      throw mapAwsError(
        Object.assign(
          new Error(
            `route ${destination} in ${routeTableId} already targets ${existing?.gatewayId ?? 'something else'}, not ${vgwId}`,
          ),
          {
            name: 'RouteAlreadyExists',
          },
        ),
        'CreateRoute',
      );
    }
  }

  deleteRoute(routeTableId: string, destination: string) {
    return this.gone(`DeleteRoute ${destination} in ${routeTableId}`, () =>
      this.ec2.send(new DeleteRouteCommand({ RouteTableId: routeTableId, DestinationCidrBlock: destination })),
    );
  }

  async findCustomerGateways(key: ConnectionKey, states: string[] = LIVE) {
    const r = await this.callOwn('DescribeCustomerGateways', () =>
      this.ec2.send(
        new DescribeCustomerGatewaysCommand({
          Filters: [...awsTagFilters(key), { Name: 'state', Values: states }],
        }),
      ),
    );
    return (r.CustomerGateways ?? []).map(toCgw);
  }

  async createCustomerGateway(ipAddress: string, tags: Tags) {
    const r = await this.call(`CreateCustomerGateway ${ipAddress}`, () =>
      this.ec2.send(
        new CreateCustomerGatewayCommand({
          Type: 'ipsec.1',
          IpAddress: ipAddress,
          BgpAsn: 65000,
          TagSpecifications: [{ ResourceType: 'customer-gateway', Tags: tagList(tags) }],
        }),
      ),
    );
    if (!r.CustomerGateway) throw mapAwsError(new Error('no CustomerGateway in the response'), 'CreateCustomerGateway');
    return toCgw(r.CustomerGateway);
  }

  deleteCustomerGateway(id: string) {
    return this.gone(`DeleteCustomerGateway ${id}`, () =>
      this.ec2.send(new DeleteCustomerGatewayCommand({ CustomerGatewayId: id })),
    );
  }

  async findVpnConnections(key: ConnectionKey, states: string[] = LIVE) {
    const r = await this.callOwn('DescribeVpnConnections', () =>
      this.ec2.send(
        new DescribeVpnConnectionsCommand({
          Filters: [...awsTagFilters(key), { Name: 'state', Values: states }],
        }),
      ),
    );
    return (r.VpnConnections ?? []).map(toVpn);
  }

  async createVpnConnection(args: Parameters<AwsCloud['createVpnConnection']>[0]) {
    const r = await this.createOnce(
      'CreateVpnConnection',
      () =>
        this.ec2Once.send(
          new CreateVpnConnectionCommand({
            Type: 'ipsec.1',
            CustomerGatewayId: args.customerGatewayId,
            VpnGatewayId: args.vpnGatewayId,
            TransitGatewayId: args.transitGatewayId,
            Options: { StaticRoutesOnly: true, TunnelOptions: args.tunnelOptions },
            TagSpecifications: [{ ResourceType: 'vpn-connection', Tags: tagList(args.tags) }],
          }),
        ),
      OWN,
    );
    if (!r.VpnConnection) throw mapAwsError(new Error('no VpnConnection in the response'), 'CreateVpnConnection');
    return toVpn(r.VpnConnection);
  }

  deleteVpnConnection(id: string) {
    return this.gone(`DeleteVpnConnection ${id}`, () =>
      this.ec2.send(new DeleteVpnConnectionCommand({ VpnConnectionId: id })),
    );
  }

  async createVpnConnectionRoute(vpnConnectionId: string, destination: string) {
    await this.callOwn(`CreateVpnConnectionRoute ${destination} on ${vpnConnectionId}`, () =>
      this.ec2.send(
        new CreateVpnConnectionRouteCommand({ VpnConnectionId: vpnConnectionId, DestinationCidrBlock: destination }),
      ),
    );
  }

  async setTunnelPsk(vpnConnectionId: string, outsideIp: string, psk: string) {
    // once: a resend after a lost answer would meet the connection `modifying` and be refused; the step re-reads
    await this.call(`ModifyVpnTunnelOptions ${vpnConnectionId} tunnel ${outsideIp}`, () =>
      this.ec2Once.send(
        new ModifyVpnTunnelOptionsCommand({
          VpnConnectionId: vpnConnectionId,
          VpnTunnelOutsideIpAddress: outsideIp,
          TunnelOptions: { PreSharedKey: psk },
        }),
      ),
    );
  }

  listManaged(stage: string) {
    return this.listVpnResources([{ Name: `tag:${TAG_STAGE}`, Values: [stage] }, notDeleted]);
  }

  listAll() {
    return this.listVpnResources([notDeleted]);
  }

  async describeTransitGateway(id: string): Promise<AwsTransitGateway | undefined> {
    const r = await this.call(`DescribeTransitGateways ${id}`, () =>
      this.ec2.send(new DescribeTransitGatewaysCommand({ Filters: [{ Name: 'transit-gateway-id', Values: [id] }] })),
    );
    const g = r.TransitGateways?.[0];
    if (!g) return undefined;
    return {
      id: g.TransitGatewayId ?? '',
      state: g.State ?? 'unknown',
      defaultAssociationRouteTableId:
        g.Options?.DefaultRouteTableAssociation === 'enable' ? g.Options.AssociationDefaultRouteTableId : undefined,
    };
  }

  async describeTgwRouteTable(id: string) {
    const r = await this.call(`DescribeTransitGatewayRouteTables ${id}`, () =>
      this.ec2.send(
        new DescribeTransitGatewayRouteTablesCommand({
          Filters: [{ Name: 'transit-gateway-route-table-id', Values: [id] }],
        }),
      ),
    );
    const t = r.TransitGatewayRouteTables?.[0];
    if (!t) return undefined;
    return { id: t.TransitGatewayRouteTableId ?? '', transitGatewayId: t.TransitGatewayId ?? '', state: t.State ?? '' };
  }

  async tgwAttachments(q: { transitGatewayId: string; resourceType: 'vpc' | 'vpn'; resourceIds: string[] }) {
    if (q.resourceIds.length === 0) return [];
    const out: AwsTgwAttachment[] = [];
    let token: string | undefined;
    do {
      const r = await this.call('DescribeTransitGatewayAttachments', () =>
        this.ec2.send(
          new DescribeTransitGatewayAttachmentsCommand({
            Filters: [
              { Name: 'transit-gateway-id', Values: [q.transitGatewayId] },
              { Name: 'resource-type', Values: [q.resourceType] },
              { Name: 'resource-id', Values: q.resourceIds },
            ],
            NextToken: token,
          }),
        ),
      );
      for (const a of r.TransitGatewayAttachments ?? [])
        out.push({
          id: a.TransitGatewayAttachmentId ?? '',
          transitGatewayId: a.TransitGatewayId ?? '',
          resourceType: a.ResourceType ?? '',
          resourceId: a.ResourceId ?? '',
          state: a.State ?? 'unknown',
          association: a.Association
            ? { routeTableId: a.Association.TransitGatewayRouteTableId ?? '', state: a.Association.State ?? '' }
            : undefined,
        });
      token = r.NextToken;
    } while (token);
    return out;
  }

  async associateTgwRouteTable(routeTableId: string, attachmentId: string) {
    try {
      await this.ec2.send(
        new AssociateTransitGatewayRouteTableCommand({
          TransitGatewayRouteTableId: routeTableId,
          TransitGatewayAttachmentId: attachmentId,
        }),
      );
    } catch (e) {
      // a resend after a lost answer meets its own association: the caller re-reads the attachment and decides
      if (awsErrorCode(e) === 'Resource.AlreadyAssociated') return;
      throw mapAwsError(e, `AssociateTransitGatewayRouteTable ${attachmentId} with ${routeTableId}`);
    }
  }

  async tgwRoutes(routeTableId: string, destinations: string[]): Promise<AwsTgwRoute[]> {
    if (destinations.length === 0) return [];
    const r = await this.call(`SearchTransitGatewayRoutes in ${routeTableId}`, () =>
      this.ec2.send(
        new SearchTransitGatewayRoutesCommand({
          TransitGatewayRouteTableId: routeTableId,
          Filters: [{ Name: 'route-search.exact-match', Values: destinations }],
          MaxResults: 1000,
        }),
      ),
    );
    return (r.Routes ?? []).map((x) => {
      const a = x.TransitGatewayAttachments?.[0];
      return {
        destination: x.DestinationCidrBlock ?? '',
        attachmentId: a?.TransitGatewayAttachmentId,
        resourceId: a?.ResourceId,
        type: x.Type ?? 'unknown',
        state: x.State ?? 'unknown',
      };
    });
  }

  async createTgwRoute(routeTableId: string, destination: string, attachmentId: string) {
    try {
      await this.ec2.send(
        new CreateTransitGatewayRouteCommand({
          TransitGatewayRouteTableId: routeTableId,
          DestinationCidrBlock: destination,
          TransitGatewayAttachmentId: attachmentId,
        }),
      );
    } catch (e) {
      // a resend after a lost answer meets its own route: the caller re-reads the table and decides
      if (awsErrorCode(e) === 'RouteAlreadyExists') return;
      throw mapAwsError(e, `CreateTransitGatewayRoute ${destination} in ${routeTableId}`);
    }
  }

  async replaceTgwRoute(routeTableId: string, destination: string, attachmentId: string) {
    try {
      await this.ec2.send(
        new ReplaceTransitGatewayRouteCommand({
          TransitGatewayRouteTableId: routeTableId,
          DestinationCidrBlock: destination,
          TransitGatewayAttachmentId: attachmentId,
        }),
      );
    } catch (e) {
      // the route went away meanwhile (a teardown, a user): the caller re-reads the table and decides again
      if (awsErrorCode(e) === 'InvalidRoute.NotFound')
        throw new NotReady(`no transit gateway route ${destination} in ${routeTableId} to replace`, {
          cloud: 'aws',
          providerCode: 'InvalidRoute.NotFound',
        });
      throw mapAwsError(e, `ReplaceTransitGatewayRoute ${destination} in ${routeTableId}`);
    }
  }

  deleteTgwRoute(routeTableId: string, destination: string) {
    return this.gone(`DeleteTransitGatewayRoute ${destination} in ${routeTableId}`, () =>
      this.ec2.send(
        new DeleteTransitGatewayRouteCommand({
          TransitGatewayRouteTableId: routeTableId,
          DestinationCidrBlock: destination,
        }),
      ),
    );
  }

  async findRouteTables(ids: string[]) {
    const out: AwsRouteTable[] = [];
    const distinct = [...new Set(ids)];
    // EC2 documents a limit on filter values per request (unconfirmed: 200); 100 per call stays well inside it
    for (let i = 0; i < distinct.length; i += 100) {
      const chunk = distinct.slice(i, i + 100);
      let token: string | undefined;
      do {
        const r = await this.call('DescribeRouteTables', () =>
          this.ec2.send(
            new DescribeRouteTablesCommand({
              Filters: [{ Name: 'route-table-id', Values: chunk }],
              MaxResults: 100,
              NextToken: token,
            }),
          ),
        );
        out.push(...(r.RouteTables ?? []).map(toRouteTable));
        token = r.NextToken;
      } while (token);
    }
    return out;
  }

  async describeVpnGateways(ids: string[]) {
    const distinct = [...new Set(ids)];
    if (distinct.length === 0) return [];
    const r = await this.call('DescribeVpnGateways', () =>
      this.ec2.send(new DescribeVpnGatewaysCommand({ Filters: [{ Name: 'vpn-gateway-id', Values: distinct }] })),
    );
    return (r.VpnGateways ?? []).map(toVgw);
  }

  async vpnGatewaysOfVpc(vpcId: string) {
    // a filtered describe: a *.NotFound can only be the listing catching up after a create (as findVpnGateways)
    const r = await this.callOwn('DescribeVpnGateways', () =>
      this.ec2.send(
        new DescribeVpnGatewaysCommand({
          Filters: [
            { Name: 'attachment.vpc-id', Values: [vpcId] },
            { Name: 'attachment.state', Values: ['attaching', 'attached', 'detaching'] },
          ],
        }),
      ),
    );
    return (r.VpnGateways ?? []).map(toVgw).filter((g) => g.state !== 'deleted');
  }

  async vpnConnectionsOfGateway(vgwId: string) {
    const r = await this.call('DescribeVpnConnections', () =>
      this.ec2.send(
        new DescribeVpnConnectionsCommand({
          Filters: [
            { Name: 'vpn-gateway-id', Values: [vgwId] },
            { Name: 'state', Values: ['pending', 'available', 'deleting'] },
          ],
        }),
      ),
    );
    return (r.VpnConnections ?? []).map(toVpn);
  }

  private async listVpnResources(filters: Filter[]) {
    const [g, c, v] = await Promise.all([
      this.call('DescribeVpnGateways', () => this.ec2.send(new DescribeVpnGatewaysCommand({ Filters: filters }))),
      this.call('DescribeCustomerGateways', () =>
        this.ec2.send(new DescribeCustomerGatewaysCommand({ Filters: filters })),
      ),
      this.call('DescribeVpnConnections', () => this.ec2.send(new DescribeVpnConnectionsCommand({ Filters: filters }))),
    ]);
    return {
      vpnGateways: (g.VpnGateways ?? []).map(toVgw),
      customerGateways: (c.CustomerGateways ?? []).map(toCgw),
      vpnConnections: (v.VpnConnections ?? []).map(toVpn),
    };
  }
}
