import { SimError } from '../../core/errors';
import { type Cidr, ipInCidr, parseCidr, parseIpv4 } from '../../core/ipv4';
import type { AliCustomerGateway, AliRegionState } from '../../types';
import type { Body, Handler } from './common';
import { customerGatewayNotFound, illegal, quotaFull } from './errors';
import { checkText, pageOf, paginate, tagFilter, tagsOf } from './params';

// Customer gateways (docs/sources.md#alibaba-cloud-alibaba): synchronous, no status; the IP is unique per region.

/** 100 customer gateways per region (2021 limit) */
const CGW_QUOTA = 100;
const REJECTED_RANGES: Cidr[] = ['100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4', '255.0.0.0/8'].map(
  (c) => parseCidr(c) as Cidr,
);
const ALIBABA_ASN = 45104;

export function findCustomerGateway(r: AliRegionState, id: string, param?: string): AliCustomerGateway {
  const cgw = r.customerGateways[id];
  if (!cgw) throw customerGatewayNotFound(id, param);
  return cgw;
}

function renderCustomerGateway(c: AliCustomerGateway): Body {
  return {
    CustomerGatewayId: c.CustomerGatewayId,
    IpAddress: c.IpAddress,
    Name: c.Name,
    Description: c.Description ?? '',
    ...(c.Asn !== undefined ? { Asn: c.Asn } : {}),
    ...(c.AuthKey !== undefined ? { AuthKey: c.AuthKey } : {}),
    CreateTime: c.CreateTime,
    Tags: { Tag: c.Tags },
  };
}

/** `65000` or two-segment `1.100` (= 1*65536+100); 1-4294967295; Alibaba's own 45104 is refused */
function parseAsn(text: string): number {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  let n = Number.NaN;
  if (m) n = m[2] === undefined ? Number(m[1]) : Number(m[1]) * 65536 + Number(m[2]);
  if (!Number.isInteger(n) || n < 1 || n > 4294967295) throw illegal('Asn', text, '1-4294967295');
  if (n === ALIBABA_ASN) throw illegal('Asn', text, '45104 is reserved by Alibaba Cloud');
  return n;
}

export const createCustomerGateway: Handler = (call) => {
  const r = call.region();
  return call.idempotent(() => {
    const p = call.p;
    const ip = p.required('IpAddress');
    const n = parseIpv4(ip);
    if (n === undefined || REJECTED_RANGES.some((c) => ipInCidr(n, c)) || n === 0)
      throw new SimError(
        'InvalidIpAddress.WrongFormat',
        `The specified IpAddress "${ip}" is not a valid address.`,
        400,
      );
    const name = checkText(p, 'Name', 'InvalidName', 1, 100);
    const description = checkText(p, 'Description', 'InvalidDescription', 1, 100);
    const asnText = p.str('Asn');
    const asn = asnText === undefined ? undefined : parseAsn(asnText);
    const authKey = p.str('AuthKey');
    if (authKey !== undefined && !/^[\x21-\x3e\x40-\x7e]{1,64}$/.test(authKey))
      throw illegal('AuthKey', '***', '1-64 ASCII characters without spaces or ?');
    const tags = tagsOf(p);
    if (Object.values(r.customerGateways).some((c) => c.IpAddress === ip))
      throw new SimError(
        'InvalidIpAddress.AlreadyExist',
        `A customer gateway with the IpAddress ${ip} already exists in this region.`,
        400,
      );
    if (Object.keys(r.customerGateways).length >= CGW_QUOTA) throw quotaFull('customer gateways per region', CGW_QUOTA);
    const cgw: AliCustomerGateway = {
      CustomerGatewayId: call.ctx.ids.ali('cgw'),
      IpAddress: ip,
      Name: name ?? '',
      ...(description !== undefined ? { Description: description } : {}),
      ...(asn !== undefined ? { Asn: asn } : {}),
      ...(authKey !== undefined ? { AuthKey: authKey } : {}),
      CreateTime: call.now(),
      Tags: tags,
    };
    r.customerGateways[cgw.CustomerGatewayId] = cgw;
    return {
      CustomerGatewayId: cgw.CustomerGatewayId,
      IpAddress: cgw.IpAddress,
      Name: cgw.Name,
      Description: cgw.Description ?? '',
      CreateTime: cgw.CreateTime,
    };
  });
};

export const describeCustomerGateway: Handler = (call) => {
  const r = call.region();
  const id = call.p.required('CustomerGatewayId');
  const cgw = findCustomerGateway(r, id);
  if (!call.visibleById(cgw.CreateTime)) throw customerGatewayNotFound(id);
  return renderCustomerGateway(cgw);
};

/** no IpAddress filter on the real API: callers list everything and match client-side */
export const describeCustomerGateways: Handler = (call) => {
  const r = call.region();
  const p = call.p;
  const page = pageOf(p);
  const id = p.str('CustomerGatewayId');
  const byTags = tagFilter(p);
  const all = Object.values(r.customerGateways).filter(
    (c) => call.listed(c.CreateTime) && (id === undefined || c.CustomerGatewayId === id) && byTags(c.Tags),
  );
  return {
    TotalCount: all.length,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    CustomerGateways: { CustomerGateway: paginate(all, page).map(renderCustomerGateway) },
  };
};

export const deleteCustomerGateway: Handler = (call) => {
  const r = call.region();
  const cgw = findCustomerGateway(r, call.p.required('CustomerGatewayId'));
  const id = cgw.CustomerGatewayId;
  const user = Object.values(r.vpnConnections).find(
    (c) => c.CustomerGatewayId === id || c.Tunnels.some((t) => t.CustomerGatewayId === id),
  );
  // code unconfirmed: the SDK only says a referenced customer gateway cannot be deleted
  if (user)
    throw new SimError(
      'DependencyViolation.IpsecConnection',
      `The customer gateway ${id} is used by the IPsec connection ${user.VpnConnectionId}.`,
      400,
    );
  delete r.customerGateways[id];
  return {};
};
