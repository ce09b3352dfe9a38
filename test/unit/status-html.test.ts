import { renderStatusPage } from '../../local/status-html';
import type { ConnectionView } from '../../src/service/connections';
import { parseSpec } from '../../src/spec';

// The status page's AWS attach box: the VGW for a connection on a VPN gateway, the transit gateway and its route
// table (never a VGW) for one through a transit gateway. Pure rendering.

function view(attach?: Record<string, unknown>): ConnectionView {
  const p = parseSpec({
    name: 'hub',
    aws: {
      region: 'us-east-1',
      vpcId: 'vpc-0123456789abcdef0',
      cidr: '172.80.64.0/19',
      ...(attach ? { attach } : {}),
    },
    alibaba: { region: 'eu-central-1', vpcId: 'vpc-gw8abcdefgh12345678', cidr: '192.168.0.0/16' },
  });
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return {
    name: 'hub',
    status: 'ACTIVE',
    topology: 'dual-tunnel',
    spec: p.spec,
    resources: {
      aws: {
        customerGateways: {},
        vpnConnections: { 'vpn-1': 'vpn-0aaaaaaaaaaaaaaa1', 'vpn-2': 'vpn-0aaaaaaaaaaaaaaa2' },
        routeTableIds: [],
        ...(attach ? {} : { vpnGatewayId: 'vgw-0bbbbbbbbbbbbbbb1' }),
      },
      alibaba: { customerGateways: {}, connections: {} },
    },
    tunnelEndpoints: {},
    completedOperations: 1,
    createdAt: '2026-12-06T00:00:00.000Z',
    updatedAt: '2026-12-06T00:00:00.000Z',
    tunnels: [],
  } as ConnectionView;
}

const attachBox = (html: string) => /<div class="box aws" data-attach="[^"]+">.*?<\/div>/s.exec(html)?.[0] ?? '';

describe('renderStatusPage', () => {
  it('draws the transit gateway and its route table for a connection through one, and no VPN gateway', () => {
    // Act
    const html = renderStatusPage({
      title: 't',
      source: 's',
      connections: [
        { view: view({ transitGateway: 'tgw-0ccccccccccccccc1', routeTableId: 'tgw-rtb-0ddddddddddddddd1' }) },
      ],
    });
    const box = attachBox(html);

    // Assert
    expect(box).toContain('data-attach="transit-gateway"');
    expect(box).toContain('<b>Transit gateway</b><span class="id">tgw-0ccccccccccccccc1</span>');
    expect(box).toContain('tgw-rtb-0ddddddddddddddd1');
    expect(box).toContain('vpn-0aaaaaaaaaaaaaaa2');
    expect(html).not.toContain('<b>VPN gateway</b>');
  });

  it('draws the VPN gateway for a connection on a VGW', () => {
    // Act
    const box = attachBox(renderStatusPage({ title: 't', source: 's', connections: [{ view: view() }] }));

    // Assert
    expect(box).toContain('data-attach="vpn-gateway"');
    expect(box).toContain('<b>VPN gateway</b><span class="id">vgw-0bbbbbbbbbbbbbbb1</span>');
  });
});
