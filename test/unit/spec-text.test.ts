import { MAX_SPEC_BYTES, parseSpecText } from '../../src/spec';

const YAML_SPEC = `# the article's connection
name: gdn-china
aws:
  region: us-east-1
  vpcId: vpc-0123456789abcdef0
  cidr: 172.80.64.0/19
alibaba:
  region: eu-central-1
  vpcId: vpc-gw8abcdefgh12345678
  cidr: 192.168.0.0/16
tunnels:
  profile: recommended
  overrides:
    phase2: { dhGroup: 5 }
`;

const JSON_SPEC = JSON.stringify(
  {
    name: 'gdn-china',
    aws: { region: 'us-east-1', vpcId: 'vpc-0123456789abcdef0', cidr: '10.0.0.0/16' },
    alibaba: { region: 'eu-central-1', vpcId: 'vpc-gw8abcdefgh12345678', cidr: '192.168.0.0/16' },
    onFailure: 'rollback',
  },
  null,
  2,
);

describe('parseSpecText: YAML', () => {
  it('parses a YAML spec and applies defaults', () => {
    // Act
    const result = parseSpecText(YAML_SPEC);

    // Assert
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.spec.tunnels).toEqual({
      profile: 'recommended',
      psk: 'from-aws-config',
      overrides: { phase2: { dhGroup: 5 } },
    });
    expect(result.spec.onFailure).toBe('keep');
    expect(result.warnings.map((w) => w.path)).toEqual(['aws.cidr']);
  });

  it('reports a YAML syntax error on the document with its line number', () => {
    // Prepare
    const text = 'name: gdn-china\naws:\n  region: [us-east-1\n  vpcId: vpc-0123456789abcdef0\n';

    // Act
    const result = parseSpecText(text, 'yaml');

    // Assert
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toEqual({
      path: '(document)',
      severity: 'error',
      message: expect.stringMatching(/^YAML syntax error at line 4, column \d+: /),
    });
  });

  it('rejects duplicate keys with the line of the duplicate', () => {
    // Prepare
    const text = 'name: gdn-china\nname: other\n';

    // Act
    const result = parseSpecText(text, 'yaml');

    // Assert
    expect(result).toEqual({
      ok: false,
      warnings: [],
      errors: [expect.objectContaining({ path: '(document)', message: expect.stringContaining('at line 2') })],
    });
  });

  it('rejects a YAML alias bomb without expanding it', () => {
    // Prepare: 9^5 strings if expanded
    const text = [
      'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'name: [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ].join('\n');

    // Act
    const result = parseSpecText(text, 'yaml');

    // Assert
    expect(result).toEqual({
      ok: false,
      warnings: [],
      errors: [
        expect.objectContaining({
          path: '(document)',
          message: expect.stringContaining('YAML aliases expand too much'),
        }),
      ],
    });
  });

  it('accepts a few ordinary anchors and aliases', () => {
    // Prepare
    const text = YAML_SPEC.replace('region: us-east-1', 'region: &r us-east-1').replace(
      '  cidr: 172.80.64.0/19',
      '  cidr: 172.80.64.0/19\n  routeTableIds: &rt [rtb-01234567]',
    );

    // Act
    const result = parseSpecText(text, 'yaml');

    // Assert
    expect(result.ok).toBe(true);
  });

  it('does not apply YAML merge keys (the key is an unknown field)', () => {
    // Prepare
    const text = [
      'name: gdn-china',
      'aws: &a',
      '  region: us-east-1',
      '  vpcId: vpc-0123456789abcdef0',
      '  cidr: 10.0.0.0/16',
      'alibaba:',
      '  <<: *a',
      '  region: eu-central-1',
      '  vpcId: vpc-gw8abcdefgh12345678',
      '  cidr: 192.168.0.0/16',
    ].join('\n');

    // Act
    const result = parseSpecText(text, 'yaml');

    // Assert
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toEqual(['alibaba.<<']);
  });

  it('validates an empty document as a missing spec', () => {
    // Act
    const result = parseSpecText('', 'yaml');

    // Assert
    expect(result).toEqual({
      ok: false,
      warnings: [],
      errors: [expect.objectContaining({ path: '(document)', message: expect.stringContaining('got null') })],
    });
  });
});

describe('parseSpecText: JSON', () => {
  it('parses a JSON spec in auto mode', () => {
    // Act
    const result = parseSpecText(JSON_SPEC);

    // Assert
    expect(result).toMatchObject({ ok: true, spec: { name: 'gdn-china', onFailure: 'rollback' }, warnings: [] });
  });

  it('parses a JSON spec when JSON is requested', () => {
    // Act
    const result = parseSpecText(JSON_SPEC, 'json');

    // Assert
    expect(result.ok).toBe(true);
  });

  it('reports a JSON syntax error with its line number', () => {
    // Prepare
    const text = '{\n  "name": "gdn-china",\n}';

    // Act
    const result = parseSpecText(text, 'json');

    // Assert
    expect(result).toEqual({
      ok: false,
      warnings: [],
      errors: [
        {
          path: '(document)',
          severity: 'error',
          message: expect.stringMatching(/^JSON syntax error at line 3, column 1: /),
        },
      ],
    });
  });

  it('reads a YAML flow mapping that starts with a brace in auto mode', () => {
    // Prepare
    const text =
      '{name: gdn-china, aws: {region: us-east-1, vpcId: vpc-0123456789abcdef0, cidr: 10.0.0.0/16}, alibaba: {region: eu-central-1, vpcId: vpc-gw8abcdefgh12345678, cidr: 192.168.0.0/16}}';

    // Act
    const result = parseSpecText(text);

    // Assert
    expect(result.ok).toBe(true);
  });

  it('reports schema errors from JSON input with their paths', () => {
    // Prepare
    const text = JSON_SPEC.replace('"10.0.0.0/16"', '"10.0.0.300/16"');

    // Act
    const result = parseSpecText(text, 'json');

    // Assert
    expect(result).toEqual({
      ok: false,
      warnings: [],
      errors: [
        { path: 'aws.cidr', severity: 'error', message: "must be a CIDR like 10.0.0.0/16, got '10.0.0.300/16'" },
      ],
    });
  });
});

describe('parseSpecText: size limit', () => {
  it('rejects a document over 64 KiB before parsing it', () => {
    // Prepare
    const text = `${YAML_SPEC}# ${'x'.repeat(MAX_SPEC_BYTES)}\n`;

    // Act
    const result = parseSpecText(text);

    // Assert
    expect(result).toEqual({
      ok: false,
      warnings: [],
      errors: [
        {
          path: '(document)',
          severity: 'error',
          message: `the document is ${Buffer.byteLength(text)} bytes; the limit is 65536 bytes (64 KiB)`,
        },
      ],
    });
  });

  it('counts bytes, not characters', () => {
    // Prepare: 30000 three-byte characters = 90000 bytes, under 64 Ki characters
    const text = `${YAML_SPEC}# ${'€'.repeat(30000)}\n`;

    // Act
    const result = parseSpecText(text);

    // Assert
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toContain('the limit is 65536 bytes');
  });

  it('accepts a document just under the limit', () => {
    // Prepare
    const text = `${YAML_SPEC}# ${'x'.repeat(MAX_SPEC_BYTES - YAML_SPEC.length - 3)}\n`;

    // Act
    const result = parseSpecText(text);

    // Assert
    expect(Buffer.byteLength(text)).toBe(MAX_SPEC_BYTES);
    expect(result.ok).toBe(true);
  });
});
