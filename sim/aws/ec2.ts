import type { Service } from '../core/context';
import { SimError } from '../core/errors';
import type { Ec2Handler } from './ec2/call';
import { createCustomerGateway, deleteCustomerGateway, describeCustomerGateways } from './ec2/customer-gateways';
import { Params } from './ec2/params';
import {
  createRoute,
  deleteRoute,
  describeRouteTables,
  disableVgwRoutePropagation,
  enableVgwRoutePropagation,
} from './ec2/route-tables';
import { createTags, deleteTags, describeTags } from './ec2/tags';
import {
  associateTransitGatewayRouteTable,
  createTransitGatewayVpcAttachment,
  deleteTransitGatewayVpcAttachment,
  describeTransitGatewayAttachments,
  describeTransitGatewayVpcAttachments,
  disableTransitGatewayRouteTablePropagation,
  disassociateTransitGatewayRouteTable,
  enableTransitGatewayRouteTablePropagation,
  getTransitGatewayRouteTableAssociations,
  getTransitGatewayRouteTablePropagations,
} from './ec2/tgw-attachments';
import {
  createTransitGatewayRoute,
  deleteTransitGatewayRoute,
  replaceTransitGatewayRoute,
  searchTransitGatewayRoutes,
} from './ec2/tgw-routes';
import {
  createTransitGateway,
  createTransitGatewayRouteTable,
  deleteTransitGateway,
  deleteTransitGatewayRouteTable,
  describeTransitGatewayRouteTables,
  describeTransitGateways,
} from './ec2/transit-gateways';
import { associateVpcCidrBlock, describeVpcs } from './ec2/vpcs';
import { createVpnConnectionRoute, deleteVpnConnectionRoute } from './ec2/vpn-connection-routes';
import { createVpnConnection, deleteVpnConnection, describeVpnConnections } from './ec2/vpn-connections';
import {
  attachVpnGateway,
  createVpnGateway,
  deleteVpnGateway,
  describeVpnGateways,
  detachVpnGateway,
} from './ec2/vpn-gateways';
import { modifyVpnTunnelOptions } from './ec2/vpn-tunnel-modify';
import { ec2ErrorResponse, ec2Response } from './ec2/xml';

// The simulated EC2 Query API (docs/sources.md#aws-aws): the VPN actions, VPCs, route tables, tags and transit gateways.

const ACTIONS: Record<string, Ec2Handler> = {
  CreateVpnGateway: createVpnGateway,
  DescribeVpnGateways: describeVpnGateways,
  AttachVpnGateway: attachVpnGateway,
  DetachVpnGateway: detachVpnGateway,
  DeleteVpnGateway: deleteVpnGateway,
  CreateCustomerGateway: createCustomerGateway,
  DescribeCustomerGateways: describeCustomerGateways,
  DeleteCustomerGateway: deleteCustomerGateway,
  CreateVpnConnection: createVpnConnection,
  DescribeVpnConnections: describeVpnConnections,
  DeleteVpnConnection: deleteVpnConnection,
  ModifyVpnTunnelOptions: modifyVpnTunnelOptions,
  CreateVpnConnectionRoute: createVpnConnectionRoute,
  DeleteVpnConnectionRoute: deleteVpnConnectionRoute,
  DescribeVpcs: describeVpcs,
  AssociateVpcCidrBlock: associateVpcCidrBlock,
  DescribeRouteTables: describeRouteTables,
  CreateRoute: createRoute,
  DeleteRoute: deleteRoute,
  EnableVgwRoutePropagation: enableVgwRoutePropagation,
  DisableVgwRoutePropagation: disableVgwRoutePropagation,
  CreateTags: createTags,
  DeleteTags: deleteTags,
  DescribeTags: describeTags,
  CreateTransitGateway: createTransitGateway,
  DescribeTransitGateways: describeTransitGateways,
  DeleteTransitGateway: deleteTransitGateway,
  CreateTransitGatewayRouteTable: createTransitGatewayRouteTable,
  DescribeTransitGatewayRouteTables: describeTransitGatewayRouteTables,
  DeleteTransitGatewayRouteTable: deleteTransitGatewayRouteTable,
  CreateTransitGatewayVpcAttachment: createTransitGatewayVpcAttachment,
  DescribeTransitGatewayVpcAttachments: describeTransitGatewayVpcAttachments,
  DeleteTransitGatewayVpcAttachment: deleteTransitGatewayVpcAttachment,
  DescribeTransitGatewayAttachments: describeTransitGatewayAttachments,
  AssociateTransitGatewayRouteTable: associateTransitGatewayRouteTable,
  DisassociateTransitGatewayRouteTable: disassociateTransitGatewayRouteTable,
  GetTransitGatewayRouteTableAssociations: getTransitGatewayRouteTableAssociations,
  EnableTransitGatewayRouteTablePropagation: enableTransitGatewayRouteTablePropagation,
  DisableTransitGatewayRouteTablePropagation: disableTransitGatewayRouteTablePropagation,
  GetTransitGatewayRouteTablePropagations: getTransitGatewayRouteTablePropagations,
  CreateTransitGatewayRoute: createTransitGatewayRoute,
  DeleteTransitGatewayRoute: deleteTransitGatewayRoute,
  ReplaceTransitGatewayRoute: replaceTransitGatewayRoute,
  SearchTransitGatewayRoutes: searchTransitGatewayRoutes,
};

export const EC2_ACTIONS = Object.keys(ACTIONS);

export const ec2Service: Service = {
  name: 'ec2',
  handle: (ctx, req) => {
    const handler = Object.hasOwn(ACTIONS, req.action) ? ACTIONS[req.action] : undefined;
    if (!handler)
      throw new SimError('InvalidAction', `The action ${req.action} is not valid for this web service.`, 400);
    const body = handler({
      ctx,
      regionName: req.region,
      region: ctx.awsRegion(req.region),
      p: new Params(req.params),
      action: req.action,
    });
    return ec2Response(req.action, req.requestId, body);
  },
  renderError: (err, req) => ec2ErrorResponse(err, req.requestId),
  throttle: () => new SimError('RequestLimitExceeded', 'Request limit exceeded.', 503),
  serverError: () => new SimError('InternalError', 'An internal error has occurred.', 500),
};
