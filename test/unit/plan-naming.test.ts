import { cidrContains, cidrsOverlap, parseCidr } from '../../src/net/cidr';
import {
  alibabaTags,
  awsTagFilters,
  awsTags,
  clientToken,
  executionName,
  insideCidrs,
  parseResourceName,
  RESERVED_INSIDE_CIDRS,
  RESOURCE_ROLES,
  resourceName,
  secretName,
  secretPrefix,
  TAG_CONNECTION,
  TAG_MANAGED,
  TAG_ROLE,
  TAG_STAGE,
} from '../../src/plan';

/** Deterministic spec-valid names ([a-z][a-z0-9-]{2,39}) from a seeded 32-bit PRNG (mulberry32). */
function generatedNames(count: number, seed = 12345): string[] {
  let state = seed >>> 0;
  const next = (n: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
  const first = 'abcdefghijklmnopqrstuvwxyz';
  const rest = `${first}0123456789-`;
  const names = new Set<string>();
  for (let guard = 0; names.size < count && guard < count * 10; guard++) {
    const length = 3 + next(38);
    let name = first[next(first.length)] as string;
    while (name.length < length) name += rest[next(rest.length)];
    names.add(name);
  }
  if (names.size < count) throw new Error('name generator repeated itself');
  return [...names];
}

const ALIBABA_NAME = /^[A-Za-z][A-Za-z0-9_.-]{1,127}$/;
const GDN = { stage: 'dev', name: 'gdn-china' };

describe('resourceName', () => {
  it('is vpn-bridge.<stage>.<connection>.<role>', () => {
    // Assert
    expect(resourceName(GDN, 'cgw-1')).toBe('vpn-bridge.dev.gdn-china.cgw-1');
  });

  it('is a valid Alibaba name and unique per role for the longest stage and connection name', () => {
    // Prepare
    const longest = { stage: `p${'r0-'.repeat(5)}`, name: `a${'z9-'.repeat(13)}` };

    // Act
    const names = RESOURCE_ROLES.map((role) => resourceName(longest, role));

    // Assert
    expect(longest.stage).toHaveLength(16);
    expect(longest.name).toHaveLength(40);
    for (const name of names) {
      expect(name).toMatch(ALIBABA_NAME);
      expect(name.startsWith('http')).toBe(false);
    }
    expect(new Set(names).size).toBe(RESOURCE_ROLES.length);
  });

  it('keeps stages apart where a joined name would collide', () => {
    // Prepare: stage "a-b" + connection "cde" vs stage "a" + connection "b-cde"
    const one = resourceName({ stage: 'a-b', name: 'cde' }, 'vgw');
    const other = resourceName({ stage: 'a', name: 'b-cde' }, 'vgw');

    // Assert
    expect(one).not.toBe(other);
  });

  it('parses back into stage, connection and role', () => {
    // Act
    const parsed = RESOURCE_ROLES.map((role) => parseResourceName(resourceName(GDN, role)));

    // Assert
    expect(parsed).toEqual(RESOURCE_ROLES.map((role) => ({ ...GDN, role })));
    expect(parseResourceName('vpn-bridge-gdn-china-vgw')).toBeUndefined();
    expect(parseResourceName('vpn-bridge.Dev.gdn-china.vgw')).toBeUndefined();
    expect(parseResourceName('vpn-bridge.dev.gdn-china.unknown')).toBeUndefined();
  });
});

describe('awsTags and alibabaTags', () => {
  it('tag with connection, stage, role, managed and Name', () => {
    // Act
    const tags = awsTags(GDN, 'vpn-2');

    // Assert
    expect(tags).toEqual([
      { Key: 'vpn-bridge:connection', Value: 'gdn-china' },
      { Key: 'vpn-bridge:stage', Value: 'dev' },
      { Key: 'vpn-bridge:role', Value: 'vpn-2' },
      { Key: 'vpn-bridge:managed', Value: 'true' },
      { Key: 'Name', Value: 'vpn-bridge.dev.gdn-china.vpn-2' },
    ]);
    expect([TAG_CONNECTION, TAG_STAGE, TAG_ROLE, TAG_MANAGED]).toEqual(tags.slice(0, 4).map((t) => t.Key));
  });

  it('use the same keys on Alibaba, none of them reserved there', () => {
    // Act
    const tags = alibabaTags(GDN, 'ipsec-1');

    // Assert
    expect(tags).toEqual(awsTags(GDN, 'ipsec-1'));
    for (const { Key } of tags) {
      expect(Key.length).toBeLessThanOrEqual(128);
      expect(Key).not.toMatch(/^(aliyun|acs:)|https?:\/\//);
    }
  });

  it('builds tag filters that find the tagged resource', () => {
    // Act
    const filters = awsTagFilters(GDN, 'vgw');

    // Assert
    expect(filters).toEqual([
      { Name: 'tag:vpn-bridge:connection', Values: ['gdn-china'] },
      { Name: 'tag:vpn-bridge:stage', Values: ['dev'] },
      { Name: 'tag:vpn-bridge:role', Values: ['vgw'] },
    ]);
    expect(awsTagFilters(GDN)).toHaveLength(2);
  });
});

describe('clientToken', () => {
  it('is stable for the same inputs', () => {
    // Assert
    expect(clientToken('gdn-china', 'gen-1', 'CreateVpnGateway')).toBe(
      clientToken('gdn-china', 'gen-1', 'CreateVpnGateway'),
    );
  });

  it('differs by connection, generation and step', () => {
    // Act
    const tokens = [
      clientToken('gdn-china', 'gen-1', 'CreateVpnGateway'),
      clientToken('gdn-china', 'gen-2', 'CreateVpnGateway'),
      clientToken('gdn-china', 'gen-1', 'CreateCustomerGateway:alibaba-cgw-1'),
      clientToken('gdn-japan', 'gen-1', 'CreateVpnGateway'),
      // parts containing a separator-like character stay apart
      clientToken('abc', 'x|y', 'z'),
      clientToken('abc', 'x', 'y|z'),
    ];

    // Assert
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('is ASCII and at most 64 characters', () => {
    // Act
    const token = clientToken('a'.repeat(40), 'x'.repeat(200), 'y'.repeat(200));

    // Assert
    expect(token.length).toBeLessThanOrEqual(64);
    expect(token).toMatch(/^vb-[0-9a-f]+$/);
  });
});

describe('secretName', () => {
  it('is vpn-bridge/<stage>/<connection>, under the stage prefix', () => {
    // Assert
    expect(secretName(GDN)).toBe('vpn-bridge/dev/gdn-china');
    expect(secretName(GDN).startsWith(secretPrefix('dev'))).toBe(true);
    expect(secretName(GDN).startsWith(secretPrefix('de'))).toBe(false);
  });
});

describe('executionName', () => {
  it('joins connection, operation and discriminator', () => {
    // Assert
    expect(executionName('gdn-china', 'provision', 'req-1234')).toBe('gdn-china-provision-req-1234');
  });

  it('replaces characters Step Functions logging does not allow', () => {
    // Act
    const name = executionName('gdn-china', 'drift', '2024-05-01T10:00:00.000Z');

    // Assert
    expect(name).toBe('gdn-china-drift-2024-05-01T10-00-00-000Z');
  });

  it('stays within 80 characters and keeps long discriminators distinct', () => {
    // Prepare
    const connection = 'a'.repeat(40);
    const long1 = `${'x'.repeat(60)}-1`;
    const long2 = `${'x'.repeat(60)}-2`;

    // Act
    const a = executionName(connection, 'teardown', long1);
    const b = executionName(connection, 'teardown', long2);

    // Assert
    for (const name of [a, b]) {
      expect(name.length).toBeLessThanOrEqual(80);
      expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(name.startsWith(`${connection}-teardown-`)).toBe(true);
    }
    expect(a).not.toBe(b);
  });

  it('keeps discriminators that differ only in replaced characters distinct when shortened', () => {
    // Prepare
    const connection = 'b'.repeat(40);

    // Act
    const a = executionName(connection, 'provision', `${'z'.repeat(40)}:1`);
    const b = executionName(connection, 'provision', `${'z'.repeat(40)}.1`);

    // Assert
    expect(a).not.toBe(b);
  });

  it('names an empty discriminator by its hash', () => {
    // Act
    const name = executionName('gdn-china', 'drift', '');

    // Assert
    expect(name).toMatch(/^gdn-china-drift-[0-9a-f]{12}$/);
  });
});

describe('insideCidrs', () => {
  it('is deterministic for a name', () => {
    // Assert
    expect(insideCidrs('gdn-china')).toEqual(insideCidrs('gdn-china'));
  });

  it('differs between names', () => {
    // Assert
    expect(insideCidrs('gdn-china')).not.toEqual(insideCidrs('gdn-japan'));
  });

  it('gives four distinct /30s valid on both clouds for 500 generated names', () => {
    // Prepare
    const names = generatedNames(500);
    const problems: string[] = [];

    // Act
    for (const name of names) {
      const cidrs = insideCidrs(name);
      if (cidrs.length !== 4 || new Set(cidrs).size !== 4) problems.push(`${name}: not four distinct: ${cidrs}`);
      for (const cidr of cidrs) {
        const third = Number(cidr.split('.')[2]);
        if (!parseCidr(cidr, { minPrefix: 30, maxPrefix: 30 }).ok) problems.push(`${name}: ${cidr} is not a /30`);
        if (!cidrContains('169.254.0.0/16', cidr)) problems.push(`${name}: ${cidr} is outside 169.254.0.0/16`);
        if (third < 10 || third > 250) problems.push(`${name}: ${cidr} is outside 169.254.10.0-169.254.250.255`);
        for (const reserved of RESERVED_INSIDE_CIDRS) {
          if (cidrsOverlap(cidr, reserved)) problems.push(`${name}: ${cidr} overlaps reserved ${reserved}`);
        }
      }
    }

    // Assert
    expect(problems).toEqual([]);
  });

  it('never hands out the reserved 169.254.169.252/30', () => {
    // Prepare: the inside range contains it, so some name must hash near it; scan many names cheaply
    const all = generatedNames(3000, 7).flatMap((name) => insideCidrs(name));

    // Assert
    expect(all).not.toContain('169.254.169.252/30');
    expect(all.some((c) => c.startsWith('169.254.169.'))).toBe(true);
  });

  it('spreads names over the range rather than reusing a few blocks', () => {
    // Act
    const firsts = new Set(generatedNames(500, 99).map((name) => insideCidrs(name)[0]));

    // Assert: 500 draws from 15424 slots; a weak hash would collide far more often
    expect(firsts.size).toBeGreaterThan(480);
  });
});
