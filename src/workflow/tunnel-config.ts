import { XMLParser } from 'fast-xml-parser';

// The article's "download configuration" step: read each tunnel's outside IP and pre-shared key from the
// VPN connection's CustomerGatewayConfiguration document (docs/sources.md#aws-aws). Pure.

export interface TunnelConfig {
  outsideIp: string;
  customerGatewayIp: string;
  insideCidr: string;
  psk: string;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  isArray: (name) => name === 'ipsec_tunnel',
});

function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

export function parseCustomerGatewayConfiguration(xml: string): TunnelConfig[] {
  const doc = parser.parse(xml) as { vpn_connection?: { ipsec_tunnel?: Array<Record<string, unknown>> } };
  const tunnels = doc.vpn_connection?.ipsec_tunnel;
  if (!tunnels || tunnels.length === 0) throw new Error('the configuration document has no ipsec_tunnel');
  return tunnels.map((t, i) => {
    const vgw = t.vpn_gateway as Record<string, Record<string, unknown>> | undefined;
    const cgw = t.customer_gateway as Record<string, Record<string, unknown>> | undefined;
    const ike = t.ike as Record<string, unknown> | undefined;
    const inside = vgw?.tunnel_inside_address;
    const outsideIp = text(vgw?.tunnel_outside_address?.ip_address);
    const psk = text(ike?.pre_shared_key);
    if (!outsideIp || !psk) throw new Error(`ipsec_tunnel ${i + 1} lacks its outside address or pre-shared key`);
    // the VGW side is .n+1 of the /30: the network is one below
    const ip = text(inside?.ip_address);
    const parts = ip.split('.').map(Number);
    const network =
      parts.length === 4
        ? `${parts[0]}.${parts[1]}.${parts[2]}.${(parts[3] ?? 1) - 1}/${text(inside?.network_cidr) || '30'}`
        : '';
    return { outsideIp, customerGatewayIp: text(cgw?.tunnel_outside_address?.ip_address), insideCidr: network, psk };
  });
}
