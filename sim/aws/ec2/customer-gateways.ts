import { assumedUse, SimError } from '../../core/errors';
import { isPublicIpv4 } from '../../core/ipv4';
import type { AwsCustomerGateway } from '../../types';
import { describeByIds, type Ec2Call, listed, lookup, vanishLater } from './call';
import { bad, combination, dryRun, incorrectState, missing } from './errors';
import { applyFilters, parseFilters } from './filters';
import { tagSet, tagSpecifications } from './tags';
import { items, type XmlObject } from './xml';

// Customer gateways (docs/sources.md#aws-aws): idempotent by content, deletable once no VPN connection uses them.

const CGW_QUOTA = 50;

export function cgwXml(c: AwsCustomerGateway): XmlObject {
  return {
    customerGatewayId: c.CustomerGatewayId,
    state: c.State,
    type: c.Type,
    ipAddress: c.IpAddress,
    bgpAsn: c.BgpAsn,
    bgpAsnExtended: c.BgpAsnExtended,
    deviceName: c.DeviceName,
    tagSet: tagSet(c.Tags),
  };
}

function readAsn(call: Ec2Call): { bgpAsn: string; extended?: string } {
  const asn = call.p.int('BgpAsn');
  const ext = call.p.int('BgpAsnExtended');
  if (asn !== undefined && ext !== undefined)
    throw combination('The request must not contain both parameter BgpAsn and BgpAsnExtended');
  if (ext !== undefined) {
    if (ext < 2147483648 || ext > 4294967295)
      throw bad(`Invalid value '${ext}' for BgpAsnExtended: must be between 2147483648 and 4294967295`);
    return { bgpAsn: String(ext), extended: String(ext) };
  }
  const v = asn ?? 65000;
  if (v < 1 || v > 2147483647) throw bad(`Invalid value '${v}' for BgpAsn: must be between 1 and 2147483647`);
  return { bgpAsn: String(v) };
}

export function createCustomerGateway(call: Ec2Call): XmlObject {
  const { p, ctx, region } = call;
  const type = p.required('Type');
  if (type !== 'ipsec.1') throw bad(`Invalid value '${type}' for Type: the only supported gateway type is ipsec.1`);
  const ipAddress = p.str('IpAddress');
  const publicIp = p.str('PublicIp'); // deprecated spelling of IpAddress
  if (ipAddress !== undefined && publicIp !== undefined && ipAddress !== publicIp)
    throw combination('The request must not contain both parameter IpAddress and PublicIp');
  const ip = ipAddress ?? publicIp;
  if (ip === undefined || ip === '') throw missing('IpAddress');
  if (!isPublicIpv4(ip)) throw bad(`The customer gateway IP address '${ip}' is not a valid public IPv4 address.`);
  const { bgpAsn, extended } = readAsn(call);
  const deviceName = p.str('DeviceName');
  if (deviceName !== undefined && deviceName.length > 255)
    throw bad('Invalid value for DeviceName: must be at most 255 characters');
  const tags = tagSpecifications(p, 'customer-gateway');

  // Idempotent by content (docs/sources.md#aws-aws): an identical request returns the existing gateway. Only a gateway
  // that is pending or available is reused (one that is deleting is on its way out; reusing it would make
  // the caller's next CreateVpnConnection fail). The new request's tags are NOT applied to the existing
  // gateway (unconfirmed, docs/sources.md#aws-aws: we assume the request is answered as a pure lookup).
  const same = Object.values(region.customerGateways).find(
    (c) =>
      (c.State === 'pending' || c.State === 'available') &&
      c.Type === type &&
      c.IpAddress === ip &&
      c.BgpAsn === bgpAsn &&
      c.DeviceName === deviceName,
  );
  const live = Object.values(region.customerGateways).filter((c) => c.State !== 'deleted').length;
  if (!same && live >= CGW_QUOTA)
    throw new SimError(
      'CustomerGatewayLimitExceeded',
      `The maximum number of customer gateways (${CGW_QUOTA}) has been reached.`,
      400,
    );
  if (p.dryRun()) throw dryRun();
  if (same) return { customerGateway: cgwXml(same) };

  const cgw: AwsCustomerGateway = {
    CustomerGatewayId: ctx.ids.aws('cgw'),
    State: 'pending',
    Type: 'ipsec.1',
    IpAddress: ip,
    BgpAsn: bgpAsn,
    BgpAsnExtended: extended,
    DeviceName: deviceName,
    Tags: tags,
    CreatedAt: ctx.now(),
  };
  region.customerGateways[cgw.CustomerGatewayId] = cgw;
  ctx.after('aws.customerGateway.create', `cgw ${cgw.CustomerGatewayId} available`, () => {
    if (cgw.State === 'pending') cgw.State = 'available';
  });
  return { customerGateway: cgwXml(cgw) };
}

export function describeCustomerGateways(call: Ec2Call): XmlObject {
  const { p, region } = call;
  const ids = p.list('CustomerGatewayId');
  const filters = parseFilters(p);
  const base =
    ids.length > 0
      ? describeByIds(call, 'customer-gateway', region.customerGateways, ids)
      : listed(call, region.customerGateways);
  const result = applyFilters(
    base,
    filters,
    {
      'bgp-asn': (c) => [c.BgpAsn],
      'customer-gateway-id': (c) => [c.CustomerGatewayId],
      'device-name': (c) => [c.DeviceName],
      'ip-address': (c) => [c.IpAddress],
      state: (c) => [c.State],
      type: (c) => [c.Type],
    },
    (c) => c.Tags,
  );
  if (p.dryRun()) throw dryRun();
  return { customerGatewaySet: items(result.map(cgwXml)) };
}

export function deleteCustomerGateway(call: Ec2Call): XmlObject {
  const { p, ctx, region } = call;
  const id = p.required('CustomerGatewayId');
  const cgw = lookup(call, 'customer-gateway', region.customerGateways, id);
  const users = Object.values(region.vpnConnections).filter((c) => c.CustomerGatewayId === id && c.State !== 'deleted');
  if (users.length > 0)
    throw assumedUse(
      incorrectState(
        `The customer gateway '${id}' is in use by VPN connection(s) ${users.map((c) => c.VpnConnectionId).join(', ')}; delete them first.`,
      ),
    );
  if (p.dryRun()) throw dryRun();
  if (cgw.State === 'deleting') return { return: true };

  cgw.State = 'deleting';
  ctx.after('aws.customerGateway.delete', `cgw ${id} deleted`, () => {
    if (cgw.State !== 'deleting') return;
    cgw.State = 'deleted';
    vanishLater(call, region.customerGateways, id, cgw, `cgw ${id} vanishes`);
  });
  return { return: true };
}
