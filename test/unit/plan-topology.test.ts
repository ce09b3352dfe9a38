import { checkPairing, checkPairingActual, insideCidrs, type Plan, PROFILES, planConnection } from '../../src/plan';
import { type ConnectionSpec, parseSpec } from '../../src/spec';

function spec(extra: Record<string, unknown> = {}): ConnectionSpec {
  const result = parseSpec({
    name: 'gdn-china',
    aws: { region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', cidr: '172.80.64.0/19' },
    alibaba: { region: 'eu-central-1', vpcId: 'vpc-gw8abcdefgh12345678', cidr: '192.168.0.0/16' },
    ...extra,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}

describe('planConnection: single-tunnel gateway (the 2018 article)', () => {
  it('builds one CGW, one VPN connection with both tunnels used, two single-tunnel IPsec connections', () => {
    // Prepare
    const [c1, c2] = insideCidrs('gdn-china');

    // Act
    const plan = planConnection(spec(), 'single-tunnel');

    // Assert
    expect(plan).toEqual({
      name: 'gdn-china',
      topology: 'single-tunnel',
      crypto: PROFILES.recommended,
      pskMode: 'from-aws-config',
      awsCustomerGateways: [{ role: 'cgw-1', alibabaIp: 'InternetIp' }],
      awsVpnConnections: [
        {
          role: 'vpn-1',
          customerGateway: 'cgw-1',
          tunnels: [
            { tunnel: 1, insideCidr: c1, used: true },
            { tunnel: 2, insideCidr: c2, used: true },
          ],
        },
      ],
      alibabaCustomerGateways: [
        { role: 'alibaba-cgw-1', awsTunnel: { connection: 'vpn-1', tunnel: 1 } },
        { role: 'alibaba-cgw-2', awsTunnel: { connection: 'vpn-1', tunnel: 2 } },
      ],
      alibabaConnections: [
        {
          role: 'ipsec-1',
          mode: 'single-tunnel',
          tunnels: [
            {
              alibabaRole: 'master',
              customerGateway: 'alibaba-cgw-1',
              sourceIp: 'InternetIp',
              awsTunnel: { connection: 'vpn-1', tunnel: 1 },
            },
          ],
          routeWeight: 100,
        },
        {
          role: 'ipsec-2',
          mode: 'single-tunnel',
          tunnels: [
            {
              alibabaRole: 'master',
              customerGateway: 'alibaba-cgw-2',
              sourceIp: 'InternetIp',
              awsTunnel: { connection: 'vpn-1', tunnel: 2 },
            },
          ],
          routeWeight: 0,
        },
      ],
      tunnels: [
        {
          id: 'vpn-1/1',
          role: 'active',
          aws: { connection: 'vpn-1', tunnel: 1 },
          alibaba: { connection: 'ipsec-1', alibabaRole: 'master', sourceIp: 'InternetIp' },
        },
        {
          id: 'vpn-1/2',
          role: 'standby',
          aws: { connection: 'vpn-1', tunnel: 2 },
          alibaba: { connection: 'ipsec-2', alibabaRole: 'master', sourceIp: 'InternetIp' },
        },
      ],
      routes: {
        awsRouteTableIds: 'main',
        awsDestinations: ['192.168.0.0/16'],
        alibabaRouteTableId: 'system',
        alibabaDestinations: ['172.80.64.0/19'],
      },
    });
  });

  it('passes the pairing check', () => {
    // Act
    const problems = checkPairing(planConnection(spec(), 'single-tunnel'));

    // Assert
    expect(problems).toEqual([]);
  });
});

describe('planConnection: dual-tunnel gateway (the Alibaba guide)', () => {
  it('builds two CGWs, two VPN connections using tunnel 1 each, one dual-tunnel IPsec connection', () => {
    // Prepare
    const [c1, c2, c3, c4] = insideCidrs('gdn-china');

    // Act
    const plan = planConnection(spec(), 'dual-tunnel');

    // Assert
    expect(plan).toEqual({
      name: 'gdn-china',
      topology: 'dual-tunnel',
      crypto: PROFILES.recommended,
      pskMode: 'from-aws-config',
      awsCustomerGateways: [
        { role: 'cgw-1', alibabaIp: 'InternetIp' },
        { role: 'cgw-2', alibabaIp: 'DisasterRecoveryInternetIp' },
      ],
      awsVpnConnections: [
        {
          role: 'vpn-1',
          customerGateway: 'cgw-1',
          tunnels: [
            { tunnel: 1, insideCidr: c1, used: true },
            { tunnel: 2, insideCidr: c2, used: false },
          ],
        },
        {
          role: 'vpn-2',
          customerGateway: 'cgw-2',
          tunnels: [
            { tunnel: 1, insideCidr: c3, used: true },
            { tunnel: 2, insideCidr: c4, used: false },
          ],
        },
      ],
      alibabaCustomerGateways: [
        { role: 'alibaba-cgw-1', awsTunnel: { connection: 'vpn-1', tunnel: 1 } },
        { role: 'alibaba-cgw-2', awsTunnel: { connection: 'vpn-2', tunnel: 1 } },
      ],
      alibabaConnections: [
        {
          role: 'ipsec-1',
          mode: 'dual-tunnel',
          tunnels: [
            {
              alibabaRole: 'master',
              customerGateway: 'alibaba-cgw-1',
              sourceIp: 'InternetIp',
              awsTunnel: { connection: 'vpn-1', tunnel: 1 },
            },
            {
              alibabaRole: 'slave',
              customerGateway: 'alibaba-cgw-2',
              sourceIp: 'DisasterRecoveryInternetIp',
              awsTunnel: { connection: 'vpn-2', tunnel: 1 },
            },
          ],
          routeWeight: 100,
        },
      ],
      tunnels: [
        {
          id: 'vpn-1/1',
          role: 'active',
          aws: { connection: 'vpn-1', tunnel: 1 },
          alibaba: { connection: 'ipsec-1', alibabaRole: 'master', sourceIp: 'InternetIp' },
        },
        { id: 'vpn-1/2', role: 'unused', aws: { connection: 'vpn-1', tunnel: 2 } },
        {
          id: 'vpn-2/1',
          role: 'standby',
          aws: { connection: 'vpn-2', tunnel: 1 },
          alibaba: { connection: 'ipsec-1', alibabaRole: 'slave', sourceIp: 'DisasterRecoveryInternetIp' },
        },
        { id: 'vpn-2/2', role: 'unused', aws: { connection: 'vpn-2', tunnel: 2 } },
      ],
      routes: {
        awsRouteTableIds: 'main',
        awsDestinations: ['192.168.0.0/16'],
        alibabaRouteTableId: 'system',
        alibabaDestinations: ['172.80.64.0/19'],
      },
    });
  });

  it('passes the pairing check', () => {
    // Act
    const problems = checkPairing(planConnection(spec(), 'dual-tunnel'));

    // Assert
    expect(problems).toEqual([]);
  });
});

describe('planConnection: spec options', () => {
  it('carries route tables, PSK mode and the resolved crypto from the spec', () => {
    // Prepare
    const input = spec({
      aws: {
        region: 'us-east-1',
        vpcId: 'vpc-0123456789abcdef0',
        cidr: '10.0.0.0/16',
        routeTableIds: ['rtb-01234567', 'rtb-89abcdef'],
      },
      alibaba: {
        region: 'eu-central-1',
        vpcId: 'vpc-gw8abcdefgh12345678',
        cidr: '192.168.0.0/16',
        routeTableId: 'vtb-gw8abcdefgh',
      },
      tunnels: { profile: 'article-2018', psk: 'generated', overrides: { phase2: { dhGroup: 5 } } },
    });

    // Act
    const plan = planConnection(input, 'dual-tunnel');

    // Assert
    expect(plan.routes).toEqual({
      awsRouteTableIds: ['rtb-01234567', 'rtb-89abcdef'],
      awsDestinations: ['192.168.0.0/16'],
      alibabaRouteTableId: 'vtb-gw8abcdefgh',
      alibabaDestinations: ['10.0.0.0/16'],
    });
    expect(plan.pskMode).toBe('generated');
    expect(plan.crypto).toMatchObject({ name: 'article-2018', customised: true, phase2: { dhGroup: 5 } });
  });

  it('refuses a spec whose crypto does not resolve', () => {
    // Prepare: a spec object that bypassed parseSpec
    const bad = {
      ...spec(),
      tunnels: { profile: 'recommended', psk: 'from-aws-config', overrides: { phase1: { dhGroup: 5 } } },
    };

    // Act
    const act = () => planConnection(bad as ConnectionSpec, 'single-tunnel');

    // Assert
    expect(act).toThrow('tunnels.overrides.phase1.dhGroup');
  });
});

describe('checkPairing on tampered plans', () => {
  function tampered(kind: 'single-tunnel' | 'dual-tunnel', edit: (plan: Plan) => void): string[] {
    const plan = structuredClone(planConnection(spec(), kind));
    edit(plan);
    return checkPairing(plan);
  }

  it('flags a slave tunnel leaving from the IP of the other AWS customer gateway (the mc-terrarium layout)', () => {
    // Act
    const problems = tampered('dual-tunnel', (plan) => {
      const slave = plan.alibabaConnections[0]?.tunnels[1];
      if (slave) slave.awsTunnel = { connection: 'vpn-1', tunnel: 2 };
    });

    // Assert
    expect(problems).toEqual(
      expect.arrayContaining([
        "ipsec-1 slave tunnel leaves from DisasterRecoveryInternetIp, but vpn-1's customer gateway cgw-1 names InternetIp",
        'ipsec-1 slave tunnel pairs with vpn-1/2, which the plan marks unused',
        'ipsec-1 slave tunnel pairs with vpn-1/2, but its customer gateway alibaba-cgw-2 is the outside IP of vpn-2/1',
      ]),
    );
  });

  it('flags swapped AWS customer gateway IPs', () => {
    // Act
    const problems = tampered('dual-tunnel', (plan) => {
      const [a, b] = plan.awsCustomerGateways;
      if (a && b) [a.alibabaIp, b.alibabaIp] = [b.alibabaIp, a.alibabaIp];
    });

    // Assert
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('cgw-1 names DisasterRecoveryInternetIp');
  });

  it('flags swapped Alibaba customer gateways', () => {
    // Act
    const problems = tampered('single-tunnel', (plan) => {
      const [a, b] = plan.alibabaCustomerGateways;
      if (a && b) [a.awsTunnel, b.awsTunnel] = [b.awsTunnel, a.awsTunnel];
    });

    // Assert
    expect(problems).toEqual([
      'ipsec-1 master tunnel pairs with vpn-1/1, but its customer gateway alibaba-cgw-1 is the outside IP of vpn-1/2',
      'ipsec-2 master tunnel pairs with vpn-1/2, but its customer gateway alibaba-cgw-2 is the outside IP of vpn-1/1',
    ]);
  });

  it('flags the disaster-recovery IP on a single-tunnel gateway', () => {
    // Act
    const problems = tampered('single-tunnel', (plan) => {
      const t = plan.alibabaConnections[1]?.tunnels[0];
      if (t) t.sourceIp = 'DisasterRecoveryInternetIp';
    });

    // Assert
    expect(problems).toContain(
      'ipsec-2 master tunnel leaves from DisasterRecoveryInternetIp, which a single-tunnel gateway does not have',
    );
  });

  it('flags a used AWS tunnel nobody pairs with', () => {
    // Act
    const problems = tampered('single-tunnel', (plan) => {
      plan.alibabaConnections.pop();
      plan.tunnels.pop();
    });

    // Assert
    expect(problems).toEqual(['vpn-1/2 is used but no Alibaba tunnel pairs with it']);
  });

  it('flags an AWS tunnel paired twice', () => {
    // Act
    const problems = tampered('single-tunnel', (plan) => {
      const t = plan.alibabaConnections[1]?.tunnels[0];
      if (t) t.awsTunnel = { connection: 'vpn-1', tunnel: 1 };
    });

    // Assert
    expect(problems).toContain('vpn-1/1 is paired with 2 Alibaba tunnels');
  });

  it('flags a connection mode that does not fit the gateway', () => {
    // Act
    const problems = tampered('dual-tunnel', (plan) => {
      const c = plan.alibabaConnections[0];
      if (c) c.mode = 'single-tunnel';
    });

    // Assert
    expect(problems).toContain('ipsec-1 is a single-tunnel connection on a dual-tunnel gateway');
  });

  it('flags a reported tunnel role that contradicts the plan', () => {
    // Act
    const problems = tampered('dual-tunnel', (plan) => {
      const unused = plan.tunnels.find((t) => t.id === 'vpn-2/2');
      if (unused) unused.role = 'standby';
    });

    // Assert
    expect(problems).toEqual(expect.arrayContaining(['tunnel vpn-2/2 has role standby but the AWS tunnel is unused']));
  });
});

describe('checkPairingActual', () => {
  const good = {
    id: 'vpn-1/1',
    alibabaSourceIp: '47.254.72.128',
    awsCustomerGatewayIp: '47.254.72.128',
    alibabaCustomerGatewayIp: '34.194.44.159',
    awsTunnelOutsideIp: '34.194.44.159',
  };

  it('accepts tunnels whose IPs pair', () => {
    // Act
    const violations = checkPairingActual([
      good,
      { ...good, id: 'vpn-1/2', alibabaCustomerGatewayIp: '34.198.177.52', awsTunnelOutsideIp: '34.198.177.52' },
    ]);

    // Assert
    expect(violations).toEqual([]);
  });

  it('reports a source IP that is not the AWS customer gateway IP', () => {
    // Act
    const violations = checkPairingActual([{ ...good, alibabaSourceIp: '47.254.72.129' }]);

    // Assert
    expect(violations).toEqual([
      {
        tunnel: 'vpn-1/1',
        rule: 'source-ip',
        expected: '47.254.72.128',
        actual: '47.254.72.129',
        message:
          'tunnel vpn-1/1: the Alibaba side leaves from 47.254.72.129, but the AWS customer gateway names 47.254.72.128',
      },
    ]);
  });

  it('reports an Alibaba customer gateway that is not the AWS tunnel outside IP', () => {
    // Act
    const violations = checkPairingActual([{ ...good, alibabaCustomerGatewayIp: '34.198.177.52' }]);

    // Assert
    expect(violations).toEqual([
      expect.objectContaining({
        tunnel: 'vpn-1/1',
        rule: 'customer-gateway',
        expected: '34.194.44.159',
        actual: '34.198.177.52',
      }),
    ]);
  });

  it('reports missing values as violations', () => {
    // Act
    const violations = checkPairingActual([{ id: 'vpn-2/1', awsCustomerGatewayIp: '1.2.3.4' }]);

    // Assert
    expect(violations.map((v) => [v.rule, v.actual])).toEqual([
      ['source-ip', '(unknown)'],
      ['customer-gateway', '(unknown)'],
    ]);
  });
});
