import {
  alibabaIkeConfig,
  alibabaIpsecConfig,
  awsTunnelOptions,
  type CryptoProfile,
  describeAlibabaTunnelCrypto,
  describeAwsTunnelCrypto,
  describeCrypto,
  generatePsk,
  isValidPsk,
  PROFILES,
  PSK_PATTERN,
  resolveCrypto,
} from '../../src/plan';

function resolved(result: ReturnType<typeof resolveCrypto>): CryptoProfile {
  if (!result.ok) throw new Error(`expected overrides to be accepted: ${JSON.stringify(result.errors)}`);
  return result.crypto;
}

/** Deterministic byte source: 0, 1, 2, ... wrapping at 256. */
function counterBytes(start = 0): (n: number) => Uint8Array {
  let next = start;
  return (n) => Uint8Array.from({ length: n }, () => next++ % 256);
}

describe('PROFILES', () => {
  it('recommended is IKEv2, AES256, SHA2-256, DH14 in both phases, 28800/3600, DPD 30 restart, start', () => {
    // Assert
    expect(PROFILES.recommended).toEqual({
      name: 'recommended',
      customised: false,
      ikeVersion: 'ikev2',
      ikeMode: 'main',
      phase1: { encryption: 'AES256', integrity: 'SHA2-256', dhGroup: 14, lifetimeSeconds: 28800 },
      phase2: { encryption: 'AES256', integrity: 'SHA2-256', dhGroup: 14, lifetimeSeconds: 3600 },
      dpdTimeoutSeconds: 30,
      dpdTimeoutAction: 'restart',
      startupAction: 'start',
      effectImmediately: true,
      enableDpd: true,
      enableNatTraversal: true,
    });
  });

  it('article-2018 is IKEv1 main, AES128, SHA1, DH2 with lifetimes aligned to 28800/3600', () => {
    // Assert
    expect(PROFILES['article-2018']).toEqual({
      name: 'article-2018',
      customised: false,
      ikeVersion: 'ikev1',
      ikeMode: 'main',
      phase1: { encryption: 'AES128', integrity: 'SHA1', dhGroup: 2, lifetimeSeconds: 28800 },
      phase2: { encryption: 'AES128', integrity: 'SHA1', dhGroup: 2, lifetimeSeconds: 3600 },
      dpdTimeoutSeconds: 30,
      dpdTimeoutAction: 'restart',
      startupAction: 'start',
      effectImmediately: true,
      enableDpd: true,
      enableNatTraversal: true,
    });
  });

  it('cannot be modified by a consumer', () => {
    // Act
    const mutate = () => {
      (PROFILES.recommended.phase1 as { lifetimeSeconds: number }).lifetimeSeconds = 86400;
    };

    // Assert
    expect(mutate).toThrow(TypeError);
    expect(PROFILES.recommended.phase1.lifetimeSeconds).toBe(28800);
  });
});

describe('awsTunnelOptions', () => {
  it('maps article-2018 to the exact single-value AWS lists of docs/sources.md#the-article-and-the-interoperability-guides-interop', () => {
    // Act
    const options = awsTunnelOptions(PROFILES['article-2018'], {
      insideCidr: '169.254.10.0/30',
      psk: 'Abcdefgh.123_x',
    });

    // Assert
    expect(options).toEqual({
      TunnelInsideCidr: '169.254.10.0/30',
      PreSharedKey: 'Abcdefgh.123_x',
      Phase1EncryptionAlgorithms: [{ Value: 'AES128' }],
      Phase2EncryptionAlgorithms: [{ Value: 'AES128' }],
      Phase1IntegrityAlgorithms: [{ Value: 'SHA1' }],
      Phase2IntegrityAlgorithms: [{ Value: 'SHA1' }],
      Phase1DHGroupNumbers: [{ Value: 2 }],
      Phase2DHGroupNumbers: [{ Value: 2 }],
      IKEVersions: [{ Value: 'ikev1' }],
      Phase1LifetimeSeconds: 28800,
      Phase2LifetimeSeconds: 3600,
      DPDTimeoutSeconds: 30,
      DPDTimeoutAction: 'restart',
      StartupAction: 'start',
    });
  });

  it('maps recommended to the exact single-value AWS lists of docs/sources.md#the-article-and-the-interoperability-guides-interop, without a PSK when none is given', () => {
    // Act
    const options = awsTunnelOptions(PROFILES.recommended, { insideCidr: '169.254.44.8/30' });

    // Assert
    expect(options).toEqual({
      TunnelInsideCidr: '169.254.44.8/30',
      Phase1EncryptionAlgorithms: [{ Value: 'AES256' }],
      Phase2EncryptionAlgorithms: [{ Value: 'AES256' }],
      Phase1IntegrityAlgorithms: [{ Value: 'SHA2-256' }],
      Phase2IntegrityAlgorithms: [{ Value: 'SHA2-256' }],
      Phase1DHGroupNumbers: [{ Value: 14 }],
      Phase2DHGroupNumbers: [{ Value: 14 }],
      IKEVersions: [{ Value: 'ikev2' }],
      Phase1LifetimeSeconds: 28800,
      Phase2LifetimeSeconds: 3600,
      DPDTimeoutSeconds: 30,
      DPDTimeoutAction: 'restart',
      StartupAction: 'start',
    });
    expect('PreSharedKey' in options).toBe(false);
  });

  it('refuses an invalid PSK without echoing it', () => {
    // Act
    const act = () => awsTunnelOptions(PROFILES.recommended, { insideCidr: '169.254.10.0/30', psk: '0secret-key!' });

    // Assert
    expect(act).toThrow(/PSK rule/);
    expect(act).not.toThrow(/secret-key/);
  });
});

describe('alibabaIkeConfig and alibabaIpsecConfig', () => {
  it('map article-2018 to the Alibaba strings of docs/sources.md#the-article-and-the-interoperability-guides-interop', () => {
    // Act
    const ike = alibabaIkeConfig(PROFILES['article-2018'], 'Abcdefgh1234');
    const ipsec = alibabaIpsecConfig(PROFILES['article-2018']);

    // Assert
    expect(ike).toEqual({
      IkeVersion: 'ikev1',
      IkeMode: 'main',
      IkeEncAlg: 'aes',
      IkeAuthAlg: 'sha1',
      IkePfs: 'group2',
      IkeLifetime: 28800,
      Psk: 'Abcdefgh1234',
    });
    expect(ipsec).toEqual({ IpsecEncAlg: 'aes', IpsecAuthAlg: 'sha1', IpsecPfs: 'group2', IpsecLifetime: 3600 });
  });

  it('set the IKE identities explicitly when given: the Alibaba source IP and the AWS outside IP', () => {
    // Act
    const ike = alibabaIkeConfig(PROFILES.recommended, 'Abcdefgh1234', {
      localId: '47.254.72.128',
      remoteId: '34.194.44.159',
    });

    // Assert
    expect({ LocalId: ike.LocalId, RemoteId: ike.RemoteId }).toEqual({
      LocalId: '47.254.72.128',
      RemoteId: '34.194.44.159',
    });
  });

  it('map recommended to the Alibaba strings of docs/sources.md#the-article-and-the-interoperability-guides-interop', () => {
    // Act
    const ike = alibabaIkeConfig(PROFILES.recommended, 'Abcdefgh1234');
    const ipsec = alibabaIpsecConfig(PROFILES.recommended);

    // Assert
    expect(ike).toEqual({
      IkeVersion: 'ikev2',
      IkeMode: 'main',
      IkeEncAlg: 'aes256',
      IkeAuthAlg: 'sha256',
      IkePfs: 'group14',
      IkeLifetime: 28800,
      Psk: 'Abcdefgh1234',
    });
    expect(ipsec).toEqual({ IpsecEncAlg: 'aes256', IpsecAuthAlg: 'sha256', IpsecPfs: 'group14', IpsecLifetime: 3600 });
  });

  it('map SHA2-384/512 and phase-2 group 5', () => {
    // Prepare
    const crypto = resolved(
      resolveCrypto('recommended', {
        phase1: { integrity: 'SHA2-384' },
        phase2: { integrity: 'SHA2-512', dhGroup: 5 },
      }),
    );

    // Act
    const ike = alibabaIkeConfig(crypto, 'Abcdefgh1234');
    const ipsec = alibabaIpsecConfig(crypto);

    // Assert
    expect(ike.IkeAuthAlg).toBe('sha384');
    expect(ipsec).toMatchObject({ IpsecAuthAlg: 'sha512', IpsecPfs: 'group5' });
  });
});

describe('resolveCrypto: accepted overrides', () => {
  it('returns the named profile unchanged without overrides', () => {
    // Act
    const result = resolveCrypto('article-2018');

    // Assert
    expect(result).toEqual({ ok: true, crypto: PROFILES['article-2018'] });
  });

  it('applies each override on top of the profile and marks it customised', () => {
    // Act
    const crypto = resolved(
      resolveCrypto('article-2018', {
        ikeVersion: 'ikev2',
        phase1: { encryption: 'AES256', integrity: 'SHA2-512', dhGroup: 14, lifetimeSeconds: 14400 },
        phase2: { encryption: 'AES256', integrity: 'SHA2-384', dhGroup: 5, lifetimeSeconds: 1800 },
        dpdTimeoutSeconds: 45,
        dpdTimeoutAction: 'clear',
      }),
    );

    // Assert
    expect(crypto).toEqual({
      ...PROFILES['article-2018'],
      customised: true,
      ikeVersion: 'ikev2',
      phase1: { encryption: 'AES256', integrity: 'SHA2-512', dhGroup: 14, lifetimeSeconds: 14400 },
      phase2: { encryption: 'AES256', integrity: 'SHA2-384', dhGroup: 5, lifetimeSeconds: 1800 },
      dpdTimeoutSeconds: 45,
      dpdTimeoutAction: 'clear',
    });
  });

  it('does not mark a profile customised when the overrides repeat its values', () => {
    // Act
    const crypto = resolved(resolveCrypto('recommended', { ikeVersion: 'ikev2', phase1: { dhGroup: 14 } }));

    // Assert
    expect(crypto.customised).toBe(false);
  });

  it.each<[string, Record<string, unknown>]>([
    ['phase-1 encryption AES128', { phase1: { encryption: 'AES128' } }],
    ['phase-1 integrity SHA1', { phase1: { integrity: 'SHA1' } }],
    ['phase-1 DH 2', { phase1: { dhGroup: 2 } }],
    ['phase-1 lifetime 901 over phase-2 900', { phase1: { lifetimeSeconds: 901 }, phase2: { lifetimeSeconds: 900 } }],
    ['phase-1 lifetime 28800', { phase1: { lifetimeSeconds: 28800 } }],
    ['phase-2 DH 2', { phase2: { dhGroup: 2 } }],
    ['phase-2 DH 5', { phase2: { dhGroup: 5 } }],
    ['phase-2 lifetime 900', { phase2: { lifetimeSeconds: 900 } }],
    [
      'phase-2 lifetime 3600 under phase-1 3601',
      { phase1: { lifetimeSeconds: 3601 }, phase2: { lifetimeSeconds: 3600 } },
    ],
    ['DPD timeout 30', { dpdTimeoutSeconds: 30 }],
    ['DPD action none', { dpdTimeoutAction: 'none' }],
    ['IKE v1', { ikeVersion: 'ikev1' }],
  ])('accepts %s', (_label, overrides) => {
    // Act
    const result = resolveCrypto('recommended', overrides);

    // Assert
    expect(result.ok).toBe(true);
  });
});

describe('resolveCrypto: rejected overrides say why', () => {
  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'AES192',
      { phase1: { encryption: 'AES192' } },
      'phase1.encryption',
      'AES192 is accepted by Alibaba but not by AWS',
    ],
    [
      'aes192',
      { phase2: { encryption: 'aes192' } },
      'phase2.encryption',
      'AES192 is accepted by Alibaba but not by AWS',
    ],
    ['DES', { phase1: { encryption: 'DES' } }, 'phase1.encryption', 'DES is insecure and not accepted by AWS'],
    ['3DES', { phase1: { encryption: '3des' } }, 'phase1.encryption', '3DES is insecure and not accepted by AWS'],
    [
      'GCM',
      { phase1: { encryption: 'AES256-GCM-16' } },
      'phase1.encryption',
      'Alibaba offers it only on Enhanced gateways',
    ],
    ['Alibaba aes', { phase1: { encryption: 'aes' } }, 'phase1.encryption', "write the AWS name 'AES128'"],
    ['lower-case aes256', { phase1: { encryption: 'aes256' } }, 'phase1.encryption', "write it as 'AES256'"],
    [
      'unknown cipher',
      { phase1: { encryption: 'chacha20' } },
      'phase1.encryption',
      "must be AES128 or AES256, got 'chacha20'",
    ],
    ['MD5', { phase1: { integrity: 'md5' } }, 'phase1.integrity', 'MD5 is not accepted by AWS'],
    ['Alibaba sha256', { phase1: { integrity: 'sha256' } }, 'phase1.integrity', "write the AWS name 'SHA2-256'"],
    [
      'unknown hash',
      { phase2: { integrity: 'SHA3' } },
      'phase2.integrity',
      'must be SHA1, SHA2-256, SHA2-384 or SHA2-512',
    ],
    [
      'phase-1 DH 1',
      { phase1: { dhGroup: 1 } },
      'phase1.dhGroup',
      'DH group 1 is not accepted by AWS in phase 1; use 2 or 14',
    ],
    [
      'phase-1 DH 5',
      { phase1: { dhGroup: 5 } },
      'phase1.dhGroup',
      'DH group 5 is not accepted by AWS in phase 1; use 2 or 14',
    ],
    [
      'phase-1 DH 19',
      { phase1: { dhGroup: 19 } },
      'phase1.dhGroup',
      'DH group 19 is accepted by AWS but not by Alibaba',
    ],
    [
      'phase-1 DH 24',
      { phase1: { dhGroup: 24 } },
      'phase1.dhGroup',
      'DH group 24 is accepted by AWS but not by Alibaba',
    ],
    ['phase-1 DH 3', { phase1: { dhGroup: 3 } }, 'phase1.dhGroup', 'accepted by neither AWS nor Alibaba'],
    ['phase-1 DH as text', { phase1: { dhGroup: 'group14' } }, 'phase1.dhGroup', 'must be a number such as 14'],
    ['phase-2 DH 1', { phase2: { dhGroup: 1 } }, 'phase2.dhGroup', 'DH group 1 is not accepted by AWS in phase 2'],
    [
      'phase-2 DH 20',
      { phase2: { dhGroup: 20 } },
      'phase2.dhGroup',
      'DH group 20 is accepted by AWS but not by Alibaba',
    ],
    ['phase-2 PFS disabled', { phase2: { dhGroup: 'disabled' } }, 'phase2.dhGroup', 'PFS cannot be disabled'],
    [
      'phase-1 lifetime 86400',
      { phase1: { lifetimeSeconds: 86400 } },
      'phase1.lifetimeSeconds',
      'at most 28800 s in phase 1',
    ],
    [
      'phase-1 lifetime 600',
      { phase1: { lifetimeSeconds: 600 } },
      'phase1.lifetimeSeconds',
      'at least 900 s in phase 1',
    ],
    [
      'phase-1 lifetime fraction',
      { phase1: { lifetimeSeconds: 1000.5 } },
      'phase1.lifetimeSeconds',
      'whole number of seconds',
    ],
    [
      'phase-2 lifetime 86400',
      { phase2: { lifetimeSeconds: 86400 } },
      'phase2.lifetimeSeconds',
      'at most 3600 s in phase 2',
    ],
    [
      'phase-2 lifetime 899',
      { phase2: { lifetimeSeconds: 899 } },
      'phase2.lifetimeSeconds',
      'at least 900 s in phase 2',
    ],
    ['DPD timeout 29', { dpdTimeoutSeconds: 29 }, 'dpdTimeoutSeconds', 'at least 30 s; got 29'],
    [
      'DPD timeout text',
      { dpdTimeoutSeconds: '30' },
      'dpdTimeoutSeconds',
      "whole number of seconds (at least 30), got '30'",
    ],
    ['DPD action hold', { dpdTimeoutAction: 'hold' }, 'dpdTimeoutAction', "must be 'clear', 'none' or 'restart'"],
    ['IKE version upper case', { ikeVersion: 'IKEv2' }, 'ikeVersion', "lower case: 'ikev2'"],
    ['IKE version 3', { ikeVersion: 'ikev3' }, 'ikeVersion', "must be 'ikev1' or 'ikev2'"],
    ['unknown override', { ikeMode: 'aggressive' }, 'ikeMode', "unknown field 'tunnels.overrides.ikeMode'"],
    ['phase not an object', { phase1: 14 }, 'phase1', 'must be an object'],
  ])('rejects %s', (_label, overrides, field, reason) => {
    // Act
    const result = resolveCrypto('recommended', overrides);

    // Assert
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContainEqual({
      path: `tunnels.overrides.${field}`,
      severity: 'error',
      message: expect.stringContaining(reason),
    });
  });

  it('rejects a phase-2 lifetime equal to phase 1 on the phase-2 field when phase 2 was overridden', () => {
    // Act
    const result = resolveCrypto('recommended', {
      phase1: { lifetimeSeconds: 1800 },
      phase2: { lifetimeSeconds: 1800 },
    });

    // Assert
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: 'tunnels.overrides.phase2.lifetimeSeconds',
          severity: 'error',
          message: 'the phase-2 lifetime (1800 s) must be shorter than the phase-1 lifetime (1800 s) (AWS rule)',
        },
      ],
    });
  });

  it('rejects a phase-1 lifetime below the profile phase-2 lifetime on the phase-1 field', () => {
    // Act
    const result = resolveCrypto('article-2018', { phase1: { lifetimeSeconds: 1200 } });

    // Assert
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toEqual(['tunnels.overrides.phase1.lifetimeSeconds']);
  });

  it('reports every bad field at once', () => {
    // Act
    const result = resolveCrypto('recommended', { phase1: { dhGroup: 5, encryption: 'DES' }, dpdTimeoutSeconds: 1 });

    // Assert
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((e) => e.path).sort()).toEqual([
        'tunnels.overrides.dpdTimeoutSeconds',
        'tunnels.overrides.phase1.dhGroup',
        'tunnels.overrides.phase1.encryption',
      ]);
    }
  });

  it('rejects an unknown profile name', () => {
    // Act
    const result = resolveCrypto('strongest' as 'recommended');

    // Assert
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: 'tunnels.profile',
          severity: 'error',
          message: "must be 'recommended' or 'article-2018', got 'strongest'",
        },
      ],
    });
  });
});

describe('describeCrypto and the observed-crypto normalisers', () => {
  it('describes what AWS reports for tunnels created from the profile exactly as expected', () => {
    // Prepare: the DescribeVpnConnections response spelling of what awsTunnelOptions requested
    const req = awsTunnelOptions(PROFILES.recommended, { insideCidr: '169.254.10.0/30' });
    const observed = {
      Phase1LifetimeSeconds: req.Phase1LifetimeSeconds,
      Phase2LifetimeSeconds: req.Phase2LifetimeSeconds,
      DpdTimeoutSeconds: req.DPDTimeoutSeconds,
      DpdTimeoutAction: req.DPDTimeoutAction,
      StartupAction: req.StartupAction,
      Phase1EncryptionAlgorithms: req.Phase1EncryptionAlgorithms,
      Phase2EncryptionAlgorithms: req.Phase2EncryptionAlgorithms,
      Phase1IntegrityAlgorithms: req.Phase1IntegrityAlgorithms,
      Phase2IntegrityAlgorithms: req.Phase2IntegrityAlgorithms,
      Phase1DHGroupNumbers: req.Phase1DHGroupNumbers,
      Phase2DHGroupNumbers: req.Phase2DHGroupNumbers,
      IkeVersions: req.IKEVersions,
    };

    // Act
    const actual = describeAwsTunnelCrypto(observed);

    // Assert
    expect(actual).toEqual(describeCrypto(PROFILES.recommended, 'aws'));
  });

  it('shows unrestricted AWS lists as differing from the pinned profile', () => {
    // Act
    const actual = describeAwsTunnelCrypto({
      Phase1EncryptionAlgorithms: [{ Value: 'AES256' }, { Value: 'AES128' }],
      Phase1DHGroupNumbers: [],
    });

    // Assert
    expect(actual['phase1.encryption']).toBe('AES128,AES256');
    expect(actual['phase1.dhGroup']).toBe('(unset)');
    expect(actual['phase1.encryption']).not.toBe(describeCrypto(PROFILES.recommended, 'aws')['phase1.encryption']);
  });

  it('describes what Alibaba reports for tunnels created from the profile exactly as expected', () => {
    // Prepare: Alibaba returns lifetimes as strings
    const ike = { ...alibabaIkeConfig(PROFILES['article-2018'], 'Abcdefgh1234'), IkeLifetime: '28800' };
    const ipsec = { ...alibabaIpsecConfig(PROFILES['article-2018']), IpsecLifetime: '3600' };

    // Act
    const actual = describeAlibabaTunnelCrypto(ike, ipsec);

    // Assert
    expect(actual).toEqual(describeCrypto(PROFILES['article-2018'], 'alibaba'));
  });

  it('reads the SDK model spelling and keeps unknown Alibaba values visible', () => {
    // Act
    const actual = describeAlibabaTunnelCrypto(
      { ikeVersion: 'ikev1', ikeEncAlg: 'aes256', ikeAuthAlg: 'md5', ikePfs: 'group2', ikeLifetime: '86400' },
      { ipsecPfs: 'disabled' },
    );

    // Assert
    expect(actual).toMatchObject({
      ikeVersion: 'ikev1',
      'phase1.encryption': 'AES256',
      'phase1.integrity': 'md5',
      'phase1.dhGroup': '2',
      'phase1.lifetimeSeconds': '86400',
      'phase2.dhGroup': 'disabled',
      'phase2.encryption': '(unset)',
    });
  });
});

describe('PSKs', () => {
  it.each([
    ['Abcdefgh', true],
    ['1bcdefgh', true],
    ['.bcdefgh', true],
    ['_bc.def_gh', true],
    ['0bcdefgh', false],
    ['Abcdefg', false],
    ['A'.repeat(64), true],
    ['A'.repeat(65), false],
    ['Abcd efgh', false],
    ['Abcd-efgh', false],
    ['Abcd!efgh', false],
  ])('%p is valid on both clouds: %p', (psk, valid) => {
    // Assert
    expect(isValidPsk(psk)).toBe(valid);
  });

  it('generates a 32-character PSK that starts with a letter and matches the rule', () => {
    // Act
    const psk = generatePsk(counterBytes(7));

    // Assert
    expect(psk).toHaveLength(32);
    expect(psk).toMatch(/^[A-Za-z]/);
    expect(psk).toMatch(PSK_PATTERN);
  });

  it('generates the same PSK from the same bytes and different ones from different bytes', () => {
    // Act
    const a = generatePsk(counterBytes(1));
    const b = generatePsk(counterBytes(1));
    const c = generatePsk(counterBytes(2));

    // Assert
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('never starts with a digit or punctuation, whatever the bytes', () => {
    // Act
    const firsts = new Set(Array.from({ length: 256 }, (_, start) => generatePsk(counterBytes(start), 8)[0]));

    // Assert
    for (const ch of firsts) expect(ch).toMatch(/[A-Za-z]/);
  });

  it('honours the requested length', () => {
    // Assert
    expect(generatePsk(counterBytes(), 8)).toHaveLength(8);
    expect(generatePsk(counterBytes(), 64)).toHaveLength(64);
    expect(() => generatePsk(counterBytes(), 7)).toThrow(RangeError);
    expect(() => generatePsk(counterBytes(), 65)).toThrow(RangeError);
  });

  it('fails rather than loop when the byte source never yields a usable first byte', () => {
    // Act
    const act = () => generatePsk((n) => new Uint8Array(n).fill(255));

    // Assert
    expect(act).toThrow('no usable bytes');
  });
});
