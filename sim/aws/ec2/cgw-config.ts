import { formatIpv4, parseCidr } from '../../core/ipv4';
import type { AwsCustomerGateway, AwsVpnConnection } from '../../types';
import { escapeXml } from './xml';

// The CustomerGatewayConfiguration document (docs/sources.md#aws-aws): the native XML AWS attaches to a VPN connection.
// Per tunnel: the customer side takes inside address .n+2 and the AWS side .n+1 of the tunnel's /30. The
// ike/ipsec blocks always advertise the minimum AES128/SHA1/DH2 profile, as the real document does
// (whether it reflects restricted algorithms is unconfirmed, docs/sources.md#aws-aws).

function insideAddresses(cidr: string): { aws: string; customer: string } {
  const c = parseCidr(cidr);
  if (!c) return { aws: '', customer: '' };
  return { aws: formatIpv4(c.base + 1), customer: formatIpv4(c.base + 2) };
}

const tag = (name: string, value: string | number | boolean): string =>
  `<${name}>${escapeXml(String(value))}</${name}>`;

function insideAddress(ip: string): string {
  return `<tunnel_inside_address>${tag('ip_address', ip)}${tag('network_mask', '255.255.255.252')}${tag('network_cidr', 30)}</tunnel_inside_address>`;
}

export function customerGatewayConfiguration(
  conn: AwsVpnConnection,
  cgw: Pick<AwsCustomerGateway, 'IpAddress' | 'BgpAsn'> | undefined,
  amazonSideAsn: number | undefined,
): string {
  const bgp = !conn.StaticRoutesOnly;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<vpn_connection id="${escapeXml(conn.VpnConnectionId)}">`,
    `  ${tag('customer_gateway_id', conn.CustomerGatewayId)}`,
    // on a transit gateway the document names the transit gateway in this element (assumed: the format is undocumented)
    `  ${tag('vpn_gateway_id', conn.VpnGatewayId || conn.TransitGatewayId || '')}`,
    `  ${tag('vpn_connection_type', conn.Type)}`,
  ];
  if (!bgp) lines.push(`  ${tag('vpn_connection_attributes', 'NoBGPVPNConnection')}`);
  for (const t of conn.TunnelOptions) {
    const inside = insideAddresses(t.TunnelInsideCidr);
    lines.push(
      '  <ipsec_tunnel>',
      '    <customer_gateway>',
      `      <tunnel_outside_address>${tag('ip_address', cgw?.IpAddress ?? '')}</tunnel_outside_address>`,
      `      ${insideAddress(inside.customer)}`,
      ...(bgp ? [`      <bgp>${tag('asn', cgw?.BgpAsn ?? '')}${tag('hold_time', 30)}</bgp>`] : []),
      '    </customer_gateway>',
      '    <vpn_gateway>',
      `      <tunnel_outside_address>${tag('ip_address', t.OutsideIpAddress)}</tunnel_outside_address>`,
      `      ${insideAddress(inside.aws)}`,
      ...(bgp ? [`      <bgp>${tag('asn', amazonSideAsn ?? '')}${tag('hold_time', 30)}</bgp>`] : []),
      '    </vpn_gateway>',
      '    <ike>',
      `      ${tag('authentication_protocol', 'sha1')}`,
      `      ${tag('encryption_protocol', 'aes-128-cbc')}`,
      `      ${tag('lifetime', 28800)}`,
      `      ${tag('perfect_forward_secrecy', 'group2')}`,
      `      ${tag('mode', 'main')}`,
      `      ${tag('pre_shared_key', t.PreSharedKey)}`,
      '    </ike>',
      '    <ipsec>',
      `      ${tag('protocol', 'esp')}`,
      `      ${tag('authentication_protocol', 'hmac-sha1-96')}`,
      `      ${tag('encryption_protocol', 'aes-128-cbc')}`,
      `      ${tag('lifetime', 3600)}`,
      `      ${tag('perfect_forward_secrecy', 'group2')}`,
      `      ${tag('mode', 'tunnel')}`,
      `      ${tag('clear_df_bit', true)}`,
      `      ${tag('fragmentation_before_encryption', true)}`,
      `      ${tag('tcp_mss_adjustment', 1379)}`,
      `      <dead_peer_detection>${tag('interval', 10)}${tag('retries', 3)}</dead_peer_detection>`,
      '    </ipsec>',
      '  </ipsec_tunnel>',
    );
  }
  lines.push('</vpn_connection>');
  return lines.join('\n');
}
