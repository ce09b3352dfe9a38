import { cidrContains, cidrsOverlap, isCidr, isIpv4, isRfc1918, parseCidr } from '../../src/net/cidr';

describe('parseCidr', () => {
  it('accepts a network address and returns its canonical parts', () => {
    // Act
    const result = parseCidr('172.80.64.0/19');

    // Assert
    expect(result).toEqual({ ok: true, cidr: { address: '172.80.64.0', prefix: 19, text: '172.80.64.0/19' } });
  });

  it.each([
    ['10.0.0.300/16'],
    ['10.0.0/16'],
    ['10.0.0.0'],
    ['010.0.0.0/8'],
    ['10.0.0.0/016'],
    ['10.0.0.0/33'],
    [' 10.0.0.0/8'],
    ['::1/128'],
    [''],
  ])('rejects %p with a CIDR example in the reason', (text) => {
    // Act
    const result = parseCidr(text);

    // Assert
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('must be a CIDR like 10.0.0.0/16');
  });

  it('names the value it rejects', () => {
    // Act
    const result = parseCidr('10.0.0.300/16');

    // Assert
    expect(result).toEqual({ ok: false, reason: "must be a CIDR like 10.0.0.0/16, got '10.0.0.300/16'" });
  });

  it('rejects host bits and suggests the network address', () => {
    // Act
    const result = parseCidr('10.1.2.3/16');

    // Assert
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain("did you mean '10.1.0.0/16'?");
  });

  it('accepts host bits when the rules allow them', () => {
    // Act
    const result = parseCidr('10.1.2.3/16', { requireNetworkAddress: false });

    // Assert
    expect(result.ok).toBe(true);
  });

  it('enforces the prefix range from the rules', () => {
    // Act
    const tooSmall = parseCidr('10.0.0.0/30', { minPrefix: 8, maxPrefix: 28 });
    const tooLarge = parseCidr('10.0.0.0/7', { minPrefix: 8, maxPrefix: 28 });
    const edge = parseCidr('10.0.0.0/28', { minPrefix: 8, maxPrefix: 28 });

    // Assert
    expect(tooSmall.ok).toBe(false);
    if (!tooSmall.ok) expect(tooSmall.reason).toContain('prefix /30 is out of range: use /8 to /28');
    expect(tooLarge.ok).toBe(false);
    expect(edge.ok).toBe(true);
  });
});

describe('isCidr and isIpv4', () => {
  it('tells CIDRs and addresses apart', () => {
    // Assert
    expect(isCidr('10.1.2.3/16')).toBe(true);
    expect(isCidr('10.1.2.3')).toBe(false);
    expect(isIpv4('10.1.2.3')).toBe(true);
    expect(isIpv4('10.1.2.3/16')).toBe(false);
    expect(isIpv4('10.1.2')).toBe(false);
  });
});

describe('cidrContains', () => {
  it('contains a smaller block inside it and not one outside', () => {
    // Assert
    expect(cidrContains('10.0.0.0/8', '10.20.0.0/16')).toBe(true);
    expect(cidrContains('10.0.0.0/8', '11.0.0.0/16')).toBe(false);
  });

  it('does not contain a larger block that contains it', () => {
    // Assert
    expect(cidrContains('10.20.0.0/16', '10.0.0.0/8')).toBe(false);
  });

  it('contains a single address', () => {
    // Assert
    expect(cidrContains('192.168.0.0/16', '192.168.200.1')).toBe(true);
    expect(cidrContains('192.168.0.0/16', '192.169.0.1')).toBe(false);
  });

  it('throws on text that is not a CIDR', () => {
    // Assert
    expect(() => cidrContains('nonsense', '10.0.0.0/8')).toThrow('not an IPv4 CIDR');
  });
});

describe('cidrsOverlap', () => {
  it.each([
    ['10.0.0.0/8', '10.1.0.0/16', true],
    ['10.1.0.0/16', '10.0.0.0/8', true],
    ['172.80.64.0/19', '172.80.95.0/24', true],
    ['172.80.64.0/19', '172.80.96.0/19', false],
    ['172.80.64.0/19', '192.168.0.0/16', false],
    ['10.0.0.0/16', '10.0.0.0/16', true],
  ])('%s and %s overlap: %p', (a, b, expected) => {
    // Assert
    expect(cidrsOverlap(a, b)).toBe(expected);
  });
});

describe('isRfc1918', () => {
  it.each([
    ['10.0.0.0/8', true],
    ['10.99.0.0/16', true],
    ['172.16.0.0/12', true],
    ['172.31.255.0/24', true],
    ['192.168.0.0/16', true],
    ['172.80.64.0/19', false],
    ['172.32.0.0/16', false],
    ['8.0.0.0/8', false],
    ['10.0.0.0/7', false],
    ['192.168.0.0/15', false],
  ])('%s is private: %p', (cidr, expected) => {
    // Assert
    expect(isRfc1918(cidr)).toBe(expected);
  });
});
