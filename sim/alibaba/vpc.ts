import type { Service, ServiceRequest, ServiceResponse } from '../core/context';
import { SimError } from '../core/errors';
import { Call, type Handler } from './vpc/common';
import { modifyTunnelAttribute, modifyVpnConnectionAttribute } from './vpc/connection-modify';
import {
  createVpnConnection,
  deleteVpnConnection,
  describeVpnConnection,
  describeVpnConnections,
} from './vpc/connections';
import {
  createCustomerGateway,
  deleteCustomerGateway,
  describeCustomerGateway,
  describeCustomerGateways,
} from './vpc/customer-gateways';
import { createVpnGateway, deleteVpnGateway, describeVpnGateway, describeVpnGateways } from './vpc/gateways';
import {
  describeRouteTableList,
  describeVpcs,
  describeVpnGatewayAvailableZones,
  describeVSwitches,
} from './vpc/network';
import { createVpc, createVSwitch, deleteVpc, deleteVSwitch } from './vpc/network-changes';
import { createRouteEntry, deleteRouteEntry, describeRouteEntryList } from './vpc/route-entries';
import { createVpnRouteEntry, deleteVpnRouteEntry, describeVpnRouteEntries } from './vpc/vpn-routes';

// The Alibaba Cloud VPC RPC API (2016-04-28) as the @alicloud/vpc20160428 SDK speaks it (docs/sources.md#alibaba-cloud-alibaba).
// The server routes here on an `x-acs-action` header (ACS3 signature, params in the query string, tunnel
// options in a form body) or on Action + Version=2016-04-28 (legacy signature v2; its AccessKeyId,
// Signature*, Timestamp, Format and SignatureNonce parameters are ignored like every unknown parameter).
// Responses are JSON whatever `Format` asks for. Signatures are not verified.

const HANDLERS: Record<string, Handler> = {
  CreateVpnGateway: createVpnGateway,
  DescribeVpnGateway: describeVpnGateway,
  DescribeVpnGateways: describeVpnGateways,
  DeleteVpnGateway: deleteVpnGateway,
  DescribeVpnGatewayAvailableZones: describeVpnGatewayAvailableZones,
  CreateCustomerGateway: createCustomerGateway,
  DescribeCustomerGateway: describeCustomerGateway,
  DescribeCustomerGateways: describeCustomerGateways,
  DeleteCustomerGateway: deleteCustomerGateway,
  CreateVpnConnection: createVpnConnection,
  DescribeVpnConnection: describeVpnConnection,
  DescribeVpnConnections: describeVpnConnections,
  ModifyVpnConnectionAttribute: modifyVpnConnectionAttribute,
  ModifyTunnelAttribute: modifyTunnelAttribute,
  DeleteVpnConnection: deleteVpnConnection,
  CreateVpnRouteEntry: createVpnRouteEntry,
  DeleteVpnRouteEntry: deleteVpnRouteEntry,
  DescribeVpnRouteEntries: describeVpnRouteEntries,
  DescribeVpcs: describeVpcs,
  CreateVpc: createVpc,
  DeleteVpc: deleteVpc,
  CreateVSwitch: createVSwitch,
  DeleteVSwitch: deleteVSwitch,
  DescribeVSwitches: describeVSwitches,
  DescribeRouteTableList: describeRouteTableList,
  CreateRouteEntry: createRouteEntry,
  DescribeRouteEntryList: describeRouteEntryList,
  DeleteRouteEntry: deleteRouteEntry,
};

const JSON_HEADERS = { 'content-type': 'application/json;charset=utf-8' };

export const SUPPORTED_ALIBABA_ACTIONS: readonly string[] = Object.keys(HANDLERS);

export const alibabaVpcService: Service = {
  name: 'alibaba-vpc',
  handle: (ctx, req): ServiceResponse => {
    const handler = Object.hasOwn(HANDLERS, req.action) ? HANDLERS[req.action] : undefined;
    if (!handler)
      throw new SimError(
        'InvalidAction.NotFound',
        `Specified api "${req.action}" is not found, please check your url and method.`,
        404,
      );
    const body = handler(new Call(ctx, req));
    return { status: 200, body: JSON.stringify({ RequestId: req.requestId, ...body }), headers: JSON_HEADERS };
  },
  renderError: (err: SimError, req: ServiceRequest): ServiceResponse => ({
    status: err.status,
    body: JSON.stringify({
      RequestId: req.requestId,
      HostId: 'vpc.aliyuncs.com',
      Code: err.code,
      Message: err.message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}`,
      ...err.extra,
    }),
    headers: JSON_HEADERS,
  }),
  throttle: () => new SimError('Throttling.User', 'Request was denied due to user flow control.', 400),
  serverError: () =>
    new SimError('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 503),
};
