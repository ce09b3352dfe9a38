import { formatIssues, parseSpec, type SpecIssue, suggestField } from '../../src/spec';

/** The article's connection with only the required fields. */
function minimalSpec(): Record<string, unknown> {
  return {
    name: 'gdn-china',
    aws: { region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', cidr: '172.80.64.0/19' },
    alibaba: { region: 'eu-central-1', vpcId: 'vpc-gw8abcdefgh12345678', cidr: '192.168.0.0/16' },
  };
}

/** A copy of the minimal spec with one field (dotted path) set; `undefined` deletes it. */
function withField(
  path: string,
  value: unknown,
  base: Record<string, unknown> = minimalSpec(),
): Record<string, unknown> {
  const copy = structuredClone(base);
  const keys = path.split('.');
  let at: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1] as string;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}

function errorsOf(input: unknown): SpecIssue[] {
  const result = parseSpec(input);
  if (result.ok) throw new Error('expected the spec to be rejected');
  return result.errors;
}

describe('parseSpec: valid specs', () => {
  it('applies every default to a minimal spec', () => {
    // Act
    const result = parseSpec(minimalSpec());

    // Assert
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.spec).toEqual({
      name: 'gdn-china',
      aws: { region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', cidr: '172.80.64.0/19' },
      alibaba: {
        region: 'eu-central-1',
        vpcId: 'vpc-gw8abcdefgh12345678',
        cidr: '192.168.0.0/16',
        gatewayMode: 'auto',
        bandwidthMbps: 10,
        chargeType: 'POSTPAY',
      },
      tunnels: { profile: 'recommended', psk: 'from-aws-config' },
      onFailure: 'keep',
    });
  });

  it('takes a pinned alibaba.gatewayMode and names the field for a wrong one', () => {
    // Act
    const pinned = parseSpec(withField('alibaba.gatewayMode', 'single-tunnel'));
    const wrong = parseSpec(withField('alibaba.gatewayMode', 'enhanced'));

    // Assert
    expect(pinned.ok && pinned.spec.alibaba.gatewayMode).toBe('single-tunnel');
    expect(wrong.ok).toBe(false);
    if (wrong.ok) return;
    expect(wrong.errors).toEqual([
      expect.objectContaining({
        path: 'alibaba.gatewayMode',
        message: "must be 'auto', 'single-tunnel' or 'dual-tunnel', got 'enhanced'",
      }),
    ]);
  });

  it('keeps every optional field of a full spec', () => {
    // Prepare
    const full = {
      ...minimalSpec(),
      aws: {
        region: 'us-gov-west-1',
        vpcId: 'vpc-01234567',
        cidr: '10.10.0.0/16',
        routeTableIds: ['rtb-0123456789abcdef0', 'rtb-01234567'],
      },
      alibaba: {
        region: 'cn-hangzhou',
        vpcId: 'vpc-bp1abcdefgh12345678',
        cidr: '192.168.0.0/16',
        vSwitchIds: ['vsw-bp1aaaaaaaa', 'vsw-bp1bbbbbbbb'],
        routeTableId: 'vtb-bp1abcdefgh',
        bandwidthMbps: 200,
        chargeType: 'PREPAY',
        periodMonths: 12,
      },
      tunnels: {
        profile: 'article-2018',
        psk: 'generated',
        overrides: {
          ikeVersion: 'ikev2',
          phase1: { encryption: 'AES256', integrity: 'SHA2-256', dhGroup: 14, lifetimeSeconds: 28800 },
          phase2: { encryption: 'AES256', integrity: 'SHA2-256', dhGroup: 14, lifetimeSeconds: 3600 },
          dpdTimeoutSeconds: 30,
          dpdTimeoutAction: 'restart',
        },
      },
      onFailure: 'rollback',
    };

    // Act
    const result = parseSpec(full);

    // Assert
    expect(result).toMatchObject({ ok: true, spec: full });
  });

  it('does not warn about RFC 1918 CIDRs', () => {
    // Act
    const result = parseSpec(withField('aws.cidr', '10.0.0.0/16'));

    // Assert
    expect(result).toEqual(expect.objectContaining({ ok: true, warnings: [] }));
  });
});

describe('parseSpec: warnings', () => {
  it('warns (but accepts) a CIDR outside RFC 1918, as in the article', () => {
    // Act
    const result = parseSpec(minimalSpec());

    // Assert
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      expect.objectContaining({ path: 'aws.cidr', severity: 'warning', message: expect.stringContaining('RFC 1918') }),
    ]);
  });

  it('warns about the weak article-2018 profile', () => {
    // Act
    const result = parseSpec(withField('tunnels.profile', 'article-2018', withField('aws.cidr', '10.0.0.0/16')));

    // Assert
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => w.path)).toEqual(['tunnels.profile']);
  });

  it('reports warnings next to errors when the spec is rejected', () => {
    // Act
    const result = parseSpec(withField('name', 'X'));

    // Assert
    expect(result.ok).toBe(false);
    expect(result.warnings.map((w) => w.path)).toEqual(['aws.cidr']);
  });
});

describe('parseSpec: field errors name the field', () => {
  it.each<[string, unknown, string]>([
    [
      'name',
      'Gdn-china',
      "must be 3-40 characters: a lowercase letter, then lowercase letters, digits or hyphens, got 'Gdn-china'",
    ],
    ['name', 'ab', "got 'ab'"],
    ['name', 'a'.repeat(41), 'must be 3-40 characters'],
    ['name', '1abc', 'must be 3-40 characters'],
    ['name', 42, 'got 42'],
    ['name', undefined, 'is required'],
    ['aws', undefined, 'is required'],
    ['aws', 'us-east-1', "must be an object with region, vpcId, cidr, cidrs, attach, routeTableIds, got 'us-east-1'"],
    ['aws.region', 'us-east', "must be an AWS region like us-east-1, got 'us-east'"],
    ['aws.region', 'US-EAST-1', 'must be an AWS region like us-east-1'],
    ['aws.vpcId', 'vpc-123', "must be an AWS VPC id like vpc-0123456789abcdef0, got 'vpc-123'"],
    ['aws.vpcId', 'vpc-0123456789ABCDEF0', 'must be an AWS VPC id'],
    ['aws.vpcId', undefined, 'is required'],
    ['aws.cidr', '10.0.0.300/16', "must be a CIDR like 10.0.0.0/16, got '10.0.0.300/16'"],
    ['aws.cidr', '10.0.0.1/16', "did you mean '10.0.0.0/16'?"],
    ['aws.cidr', '10.0.0.0/29', 'prefix /29 is out of range: use /8 to /28'],
    ['aws.cidr', '10.0.0.0/7', 'prefix /7 is out of range'],
    ['aws.cidr', '169.254.0.0/16', 'must not overlap 169.254.0.0/16'],
    ['aws.cidr', '127.0.0.0/8', 'must not overlap 127.0.0.0/8'],
    ['aws.cidr', '224.0.0.0/8', 'must not overlap 224.0.0.0/3'],
    ['aws.cidr', 19, 'must be a CIDR like 10.0.0.0/16, got 19'],
    ['aws.routeTableIds', [], 'must list at least one route table id'],
    ['aws.routeTableIds', 'rtb-01234567', "must be a list of route table ids, got 'rtb-01234567'"],
    ['aws.routeTableIds', Array.from({ length: 11 }, (_, i) => `rtb-0000000${i.toString(16)}`), 'at most 10, got 11'],
    ['alibaba.region', 'eu_central_1', "must be an Alibaba Cloud region id like eu-central-1, got 'eu_central_1'"],
    ['alibaba.region', 'europe', 'must be an Alibaba Cloud region id'],
    ['alibaba.vpcId', 'vpc-short', 'must be an Alibaba VPC id'],
    ['alibaba.cidr', '192.168.0.0/33', 'must be a CIDR like 10.0.0.0/16'],
    ['alibaba.vSwitchIds', ['vsw-aaaaaaaa', 'vsw-bbbbbbbb', 'vsw-cccccccc'], 'at most 2, got 3'],
    ['alibaba.routeTableId', 'rtb-0123456789', 'must be a route table id like vtb-'],
    ['alibaba.bandwidthMbps', 50, 'must be one of 10, 100, 200, 500, 1000 (Mbit/s), got 50'],
    ['alibaba.bandwidthMbps', '10', "got '10'"],
    ['alibaba.chargeType', 'postpay', "must be 'POSTPAY' or 'PREPAY', got 'postpay'"],
    ['tunnels', 'recommended', 'must be an object with profile, psk, overrides'],
    ['tunnels.profile', 'strong', "must be 'recommended' or 'article-2018', got 'strong'"],
    ['tunnels.psk', 'mine', "must be 'from-aws-config' or 'generated', got 'mine'"],
    ['tunnels.overrides.ikeVersion', 'ikev3', "must be 'ikev1' or 'ikev2', got 'ikev3'"],
    ['tunnels.overrides.phase1', 'strong', 'must be an object with encryption, integrity, dhGroup, lifetimeSeconds'],
    ['tunnels.overrides.phase1.encryption', 'AES192', 'AES192 is accepted by Alibaba but not by AWS'],
    ['tunnels.overrides.phase1.integrity', 'MD5', 'MD5 is not accepted by AWS'],
    ['tunnels.overrides.phase1.dhGroup', 5, 'DH group 5 is not accepted by AWS in phase 1; use 2 or 14'],
    ['tunnels.overrides.phase1.lifetimeSeconds', 86400, 'AWS accepts at most 28800 s in phase 1'],
    ['tunnels.overrides.phase2.encryption', 'DES', 'DES is insecure and not accepted by AWS'],
    ['tunnels.overrides.phase2.integrity', 'sha256', "write the AWS name 'SHA2-256'"],
    ['tunnels.overrides.phase2.dhGroup', 'disabled', 'PFS cannot be disabled'],
    ['tunnels.overrides.phase2.lifetimeSeconds', 7200, 'AWS accepts at most 3600 s in phase 2'],
    ['tunnels.overrides.dpdTimeoutSeconds', 10, 'AWS requires a DPD timeout of at least 30 s; got 10'],
    ['tunnels.overrides.dpdTimeoutAction', 'hold', "must be 'clear', 'none' or 'restart'"],
    ['onFailure', 'retry', "must be 'keep' or 'rollback', got 'retry'"],
  ])('rejects %s = %p', (path, value, message) => {
    // Prepare
    const input = withField(path, value);

    // Act
    const errors = errorsOf(input);

    // Assert
    expect(errors).toContainEqual({ path, severity: 'error', message: expect.stringContaining(message) });
  });

  it('reports only the bad field when one field is wrong', () => {
    // Act
    const errors = errorsOf(withField('alibaba.bandwidthMbps', 7));

    // Assert
    expect(errors.map((e) => e.path)).toEqual(['alibaba.bandwidthMbps']);
  });

  it('points a duplicate route table at its index', () => {
    // Act
    const errors = errorsOf(withField('aws.routeTableIds', ['rtb-01234567', 'rtb-89abcdef', 'rtb-01234567']));

    // Assert
    expect(errors).toEqual([
      { path: 'aws.routeTableIds[2]', severity: 'error', message: "duplicates 'rtb-01234567' (already at [0])" },
    ]);
  });

  it('points a bad list element at its index', () => {
    // Act
    const errors = errorsOf(withField('alibaba.vSwitchIds', ['vsw-aaaaaaaa', 'subnet-1']));

    // Assert
    expect(errors).toEqual([
      expect.objectContaining({ path: 'alibaba.vSwitchIds[1]', message: expect.stringContaining("got 'subnet-1'") }),
    ]);
  });

  it('rejects an input that is not an object with a message on the document', () => {
    // Act
    const errors = errorsOf('name: gdn-china');

    // Assert
    expect(errors).toEqual([
      {
        path: '(document)',
        severity: 'error',
        message:
          "the spec must be a mapping with name, aws, alibaba (and optionally tunnels, onFailure), got 'name: gdn-china'",
      },
    ]);
  });

  it('collects errors from every part of the spec at once', () => {
    // Prepare
    const input = withField('name', 'X', withField('aws.region', 'nowhere', withField('onFailure', 'x')));

    // Act
    const errors = errorsOf(input);

    // Assert
    expect(errors.map((e) => e.path).sort()).toEqual(['aws.region', 'name', 'onFailure']);
  });

  it('never returns zod wording', () => {
    // Prepare
    const input = { name: 1, aws: [], alibaba: { cidr: {} }, tunnels: { overrides: { phase1: [] } }, onFailure: null };

    // Act
    const errors = errorsOf(input);

    // Assert
    for (const e of errors) expect(e.message).not.toMatch(/Invalid input|expected .* received|Unrecognized key/);
  });
});

describe('parseSpec: unknown fields', () => {
  it('names the unknown key path and suggests the field meant', () => {
    // Act
    const errors = errorsOf(withField('aws.vpcid', 'vpc-0123456789abcdef0'));

    // Assert
    expect(errors).toContainEqual({
      path: 'aws.vpcid',
      severity: 'error',
      message: "unknown field 'aws.vpcid' (did you mean 'vpcId'?)",
    });
  });

  it('suggests a field for a typo with a transposition', () => {
    // Act
    const errors = errorsOf(withField('alibaba.bandwdithMbps', 10));

    // Assert
    expect(errors).toEqual([
      {
        path: 'alibaba.bandwdithMbps',
        severity: 'error',
        message: "unknown field 'alibaba.bandwdithMbps' (did you mean 'bandwidthMbps'?)",
      },
    ]);
  });

  it('lists the expected fields when nothing is close', () => {
    // Act
    const errors = errorsOf(withField('extra', true));

    // Assert
    expect(errors).toEqual([
      {
        path: 'extra',
        severity: 'error',
        message: "unknown field 'extra' (expected one of: name, aws, alibaba, tunnels, onFailure)",
      },
    ]);
  });

  it('finds unknown keys deep inside the overrides', () => {
    // Act
    const errors = errorsOf(withField('tunnels.overrides.phase2.lifetime', 3600));

    // Assert
    expect(errors).toEqual([
      expect.objectContaining({
        path: 'tunnels.overrides.phase2.lifetime',
        message: expect.stringContaining("unknown field 'tunnels.overrides.phase2.lifetime'"),
      }),
    ]);
  });

  it('reports a YAML merge key as an unknown field', () => {
    // Act
    const errors = errorsOf(withField('aws.<<', { region: 'us-east-1' }));

    // Assert
    expect(errors.map((e) => e.path)).toEqual(['aws.<<']);
  });

  it('suggests only close names', () => {
    // Assert
    expect(suggestField('CIDR', ['region', 'cidr'])).toBe('cidr');
    expect(suggestField('regoin', ['region', 'cidr'])).toBe('region');
    expect(suggestField('zone', ['region', 'cidr'])).toBeUndefined();
  });
});

describe('parseSpec: cross-field rules', () => {
  it('rejects overlapping CIDRs on alibaba.cidr', () => {
    // Act
    const errors = errorsOf(withField('alibaba.cidr', '172.80.0.0/16'));

    // Assert
    expect(errors).toEqual([
      {
        path: 'alibaba.cidr',
        severity: 'error',
        message: 'overlaps aws.cidr 172.80.64.0/19: the two VPCs must use disjoint address ranges',
      },
    ]);
  });

  it('accepts adjacent CIDRs', () => {
    // Act
    const result = parseSpec(withField('alibaba.cidr', '172.80.96.0/19'));

    // Assert
    expect(result.ok).toBe(true);
  });

  it('reports the overlap even when another field is invalid', () => {
    // Act
    const errors = errorsOf(withField('name', 'X', withField('alibaba.cidr', '172.80.64.0/24')));

    // Assert
    expect(errors.map((e) => e.path).sort()).toEqual(['alibaba.cidr', 'name']);
  });

  it('requires periodMonths with PREPAY', () => {
    // Act
    const errors = errorsOf(withField('alibaba.chargeType', 'PREPAY'));

    // Assert
    expect(errors).toEqual([
      {
        path: 'alibaba.periodMonths',
        severity: 'error',
        message: 'is required when chargeType is PREPAY (months: 1-9, 12, 24 or 36)',
      },
    ]);
  });

  it('forbids periodMonths with POSTPAY, including the default', () => {
    // Act
    const errors = errorsOf(withField('alibaba.periodMonths', 12));

    // Assert
    expect(errors).toEqual([
      expect.objectContaining({
        path: 'alibaba.periodMonths',
        message: expect.stringContaining('only allowed with chargeType PREPAY'),
      }),
    ]);
  });

  it.each([10, 13, 0])('rejects a PREPAY period of %p months', (months) => {
    // Prepare
    const input = withField('alibaba.periodMonths', months, withField('alibaba.chargeType', 'PREPAY'));

    // Act
    const errors = errorsOf(input);

    // Assert
    expect(errors).toEqual([
      expect.objectContaining({ path: 'alibaba.periodMonths', message: expect.stringContaining('1-9, 12, 24 or 36') }),
    ]);
  });

  it('reports a phase-2 lifetime not shorter than phase 1 on the overridden field', () => {
    // Act
    const errors = errorsOf(withField('tunnels.overrides.phase1.lifetimeSeconds', 3600));

    // Assert
    expect(errors).toEqual([
      {
        path: 'tunnels.overrides.phase1.lifetimeSeconds',
        severity: 'error',
        message: 'the phase-2 lifetime (3600 s) must be shorter than the phase-1 lifetime (3600 s) (AWS rule)',
      },
    ]);
  });
});

describe('formatIssues', () => {
  it('prints one line per issue with severity and path', () => {
    // Prepare
    const issues: SpecIssue[] = [
      { path: 'alibaba.cidr', message: 'overlaps aws.cidr 10.0.0.0/8', severity: 'error' },
      { path: 'aws.cidr', message: 'is public', severity: 'warning' },
    ];

    // Act
    const text = formatIssues(issues);

    // Assert
    expect(text).toBe('error: alibaba.cidr: overlaps aws.cidr 10.0.0.0/8\nwarning: aws.cidr: is public');
  });

  it('prints nothing for no issues', () => {
    // Assert
    expect(formatIssues([])).toBe('');
  });
});

describe('parseSpec: several CIDRs per side (cidrs)', () => {
  it('accepts cidrs lists on both sides and keeps cidr as the one-CIDR shorthand', () => {
    // Prepare
    const input = withField(
      'alibaba.cidrs',
      ['192.168.0.0/17', '192.168.128.0/17'],
      withField('alibaba.cidr', undefined, withField('aws.cidrs', ['172.80.64.0/19', '10.80.0.0/16'])),
    );
    delete (input.aws as Record<string, unknown>).cidr;

    // Act
    const result = parseSpec(input);

    // Assert
    expect(result.ok && [result.spec.aws.cidrs, result.spec.alibaba.cidrs]).toEqual([
      ['172.80.64.0/19', '10.80.0.0/16'],
      ['192.168.0.0/17', '192.168.128.0/17'],
    ]);
  });

  it('rejects cidr and cidrs together, and neither', () => {
    // Act
    const both = errorsOf(withField('aws.cidrs', ['10.80.0.0/16']));
    const neither = errorsOf(withField('alibaba.cidr', undefined));

    // Assert
    expect(both.map((e) => [e.path, e.message])).toEqual([
      ['aws.cidrs', 'give either cidr (one CIDR) or cidrs (a list), not both'],
    ]);
    expect(neither.map((e) => e.path)).toEqual(['alibaba.cidr']);
  });

  it('names the list entry that overlaps the other side or an earlier entry of its own side', () => {
    // Prepare
    const input = withField('alibaba.cidrs', ['192.168.0.0/16', '10.80.1.0/24', '192.168.4.0/24'], {
      ...minimalSpec(),
      aws: { region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', cidrs: ['172.80.64.0/19', '10.80.0.0/16'] },
    });
    delete (input.alibaba as Record<string, unknown>).cidr;

    // Act
    const errors = errorsOf(input);

    // Assert
    expect(errors.map((e) => [e.path, e.message])).toEqual([
      ['alibaba.cidrs.1', 'overlaps aws.cidrs[1] 10.80.0.0/16: the two VPCs must use disjoint address ranges'],
      ['alibaba.cidrs.2', 'overlaps alibaba.cidrs[0] 192.168.0.0/16: list disjoint CIDRs'],
    ]);
  });
  it('names an AWS list entry that overlaps an earlier one of its own side, and accepts disjoint ones', () => {
    // Prepare
    const overlapping = {
      ...minimalSpec(),
      aws: { region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', cidrs: ['172.80.64.0/19', '172.80.66.0/24'] },
    };
    const disjoint = {
      ...minimalSpec(),
      aws: { region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', cidrs: ['172.80.64.0/19', '10.80.0.0/16'] },
    };

    // Act
    const errors = errorsOf(overlapping);

    // Assert
    expect(errors.map((e) => [e.path, e.message])).toEqual([
      ['aws.cidrs.1', 'overlaps aws.cidrs[0] 172.80.64.0/19: list disjoint CIDRs'],
    ]);
    expect(parseSpec(disjoint).ok).toBe(true);
  });
});

describe('parseSpec: the transit gateway attach point', () => {
  const TGW = 'tgw-0123456789abcdef0';
  const RTB = 'tgw-rtb-0123456789abcdef0';

  it('takes a transit gateway with its route table and vpcRoutes', () => {
    // Act
    const result = parseSpec(withField('aws.attach', { transitGateway: TGW, routeTableId: RTB, vpcRoutes: true }));

    // Assert
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.spec.aws.attach).toEqual({ transitGateway: TGW, routeTableId: RTB, vpcRoutes: true });
  });

  it.each<[string, unknown, string, string]>([
    ['a transit gateway without its route table', { transitGateway: TGW }, 'aws.attach.routeTableId', 'is required'],
    ['a route table without its transit gateway', { routeTableId: RTB }, 'aws.attach.transitGateway', 'is required'],
    [
      'a VGW and a transit gateway',
      { vpnGateway: 'auto', transitGateway: TGW, routeTableId: RTB },
      'aws.attach.transitGateway',
      'not both',
    ],
    [
      'a bad transit gateway id',
      { transitGateway: 'tgw-1', routeTableId: RTB },
      'aws.attach.transitGateway',
      "got 'tgw-1'",
    ],
    [
      'a VPC route table id as the transit gateway route table',
      { transitGateway: TGW, routeTableId: 'rtb-0123456789abcdef0' },
      'aws.attach.routeTableId',
      'transit gateway route table id',
    ],
    [
      'vpcRoutes that is not a boolean',
      { transitGateway: TGW, routeTableId: RTB, vpcRoutes: 'yes' },
      'aws.attach.vpcRoutes',
      'true or false',
    ],
    ['an empty attach', {}, 'aws.attach.vpnGateway', 'or transitGateway'],
  ])('names the field for %s', (_what, attach, path, message) => {
    // Act
    const errors = errorsOf(withField('aws.attach', attach));

    // Assert
    expect(errors.map((e) => e.path)).toEqual([path]);
    expect(errors[0]?.message).toContain(message);
  });

  it('suggests the field meant for a misspelt attach key', () => {
    // Act
    const errors = errorsOf(withField('aws.attach', { transitGateway: TGW, routeTable: RTB }));

    // Assert
    expect(errors.find((e) => e.path === 'aws.attach.routeTable')?.message).toContain("did you mean 'routeTableId'?");
  });
});
