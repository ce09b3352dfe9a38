// Crypto profiles, override validation and the mapping to each cloud's wire vocabulary.
// Pure: no SDK imports, no I/O, no clock, no randomness of its own (generatePsk takes it injected).
// Facts: docs/sources.md#the-article-and-the-interoperability-guides-interop (what both clouds accept, profiles), §5 (lifetimes), §6 (PSK rule), §7 (DPD, initiation);
// docs/sources.md#aws-aws (tunnel option constraints); docs/sources.md#alibaba-cloud-alibaba/§4.3 (Alibaba enums).
import type { SpecIssue } from '../spec/schema';

export type AwsEncryption = 'AES128' | 'AES256';
export type AwsIntegrity = 'SHA1' | 'SHA2-256' | 'SHA2-384' | 'SHA2-512';
export type IkeVersion = 'ikev1' | 'ikev2';
export type DpdTimeoutAction = 'clear' | 'none' | 'restart';
export type Phase1DhGroup = 2 | 14;
export type Phase2DhGroup = 2 | 5 | 14;
export type CryptoProfileName = 'recommended' | 'article-2018';

export const CRYPTO_PROFILE_NAMES = ['recommended', 'article-2018'] as const;
export const AWS_ENCRYPTIONS = ['AES128', 'AES256'] as const;
export const AWS_INTEGRITIES = ['SHA1', 'SHA2-256', 'SHA2-384', 'SHA2-512'] as const;
export const IKE_VERSIONS = ['ikev1', 'ikev2'] as const;
export const DPD_TIMEOUT_ACTIONS = ['clear', 'none', 'restart'] as const;
export const PHASE1_DH_GROUPS = [2, 14] as const;
export const PHASE2_DH_GROUPS = [2, 5, 14] as const;

/** AWS limits (docs/sources.md#aws-aws), which are also inside Alibaba's 0-86400 range. */
export const LIFETIME_LIMITS = {
  phase1: { min: 900, max: 28800 },
  phase2: { min: 900, max: 3600 },
} as const;
export const MIN_DPD_TIMEOUT_SECONDS = 30;

export interface PhaseSettings<G extends number> {
  encryption: AwsEncryption;
  integrity: AwsIntegrity;
  dhGroup: G;
  lifetimeSeconds: number;
}

export interface CryptoProfile {
  name: CryptoProfileName;
  /** true when overrides changed at least one value of the named profile */
  customised: boolean;
  ikeVersion: IkeVersion;
  ikeMode: 'main';
  phase1: PhaseSettings<Phase1DhGroup>;
  phase2: PhaseSettings<Phase2DhGroup>;
  dpdTimeoutSeconds: number;
  dpdTimeoutAction: DpdTimeoutAction;
  startupAction: 'start';
  effectImmediately: true;
  enableDpd: true;
  enableNatTraversal: true;
}

/** Per-field overrides as they appear, validated, in the connection spec. */
export interface PhaseOverrides<G extends number> {
  encryption?: AwsEncryption;
  integrity?: AwsIntegrity;
  dhGroup?: G;
  lifetimeSeconds?: number;
}
export interface CryptoOverrides {
  ikeVersion?: IkeVersion;
  phase1?: PhaseOverrides<Phase1DhGroup>;
  phase2?: PhaseOverrides<Phase2DhGroup>;
  dpdTimeoutSeconds?: number;
  dpdTimeoutAction?: DpdTimeoutAction;
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) {
    if (inner !== null && typeof inner === 'object') deepFreeze(inner as object);
  }
  return Object.freeze(value);
}

const COMMON = {
  customised: false,
  ikeMode: 'main',
  dpdTimeoutSeconds: 30,
  dpdTimeoutAction: 'restart',
  startupAction: 'start',
  effectImmediately: true,
  enableDpd: true,
  enableNatTraversal: true,
} as const;

export const PROFILES: Record<CryptoProfileName, CryptoProfile> = deepFreeze({
  recommended: {
    ...COMMON,
    name: 'recommended',
    ikeVersion: 'ikev2',
    phase1: { encryption: 'AES256', integrity: 'SHA2-256', dhGroup: 14, lifetimeSeconds: 28800 },
    phase2: { encryption: 'AES256', integrity: 'SHA2-256', dhGroup: 14, lifetimeSeconds: 3600 },
  },
  // The 2018 article's algorithms with the lifetimes aligned to AWS's maxima (the article left Alibaba at 86400).
  'article-2018': {
    ...COMMON,
    name: 'article-2018',
    ikeVersion: 'ikev1',
    phase1: { encryption: 'AES128', integrity: 'SHA1', dhGroup: 2, lifetimeSeconds: 28800 },
    phase2: { encryption: 'AES128', integrity: 'SHA1', dhGroup: 2, lifetimeSeconds: 3600 },
  },
});

// ---------------------------------------------------------------------------------------------------------------
// Per-field validators: each returns undefined when the value is acceptable to BOTH clouds, else the reason.
// The spec schema uses the same functions, so a field error reads the same from parseSpec and resolveCrypto.

/** Short rendering of an input value for messages. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export type FieldCheck = (value: unknown) => string | undefined;

export const checkIkeVersion: FieldCheck = (value) => {
  if (value === 'ikev1' || value === 'ikev2') return undefined;
  if (typeof value === 'string' && (value.toLowerCase() === 'ikev1' || value.toLowerCase() === 'ikev2')) {
    return `must be written in lower case: '${value.toLowerCase()}', got ${showValue(value)}`;
  }
  return `must be 'ikev1' or 'ikev2', got ${showValue(value)}`;
};

export const checkEncryption: FieldCheck = (value) => {
  if (value === 'AES128' || value === 'AES256') return undefined;
  if (typeof value !== 'string') return `must be AES128 or AES256, got ${showValue(value)}`;
  const norm = value.toUpperCase().replace(/[\s_-]/g, '');
  if (norm === 'AES') return `'aes' is Alibaba's name; write the AWS name 'AES128'`;
  if (norm === 'AES128' || norm === 'AES256') return `write it as '${norm}', got ${showValue(value)}`;
  if (norm === 'AES192') return 'AES192 is accepted by Alibaba but not by AWS; use AES128 or AES256';
  if (norm === 'DES' || norm === '3DES' || norm === 'TRIPLEDES') {
    return `${norm} is insecure and not accepted by AWS; use AES128 or AES256`;
  }
  if (norm.includes('GCM')) {
    return 'AES-GCM is accepted by AWS, but Alibaba offers it only on Enhanced gateways under an unconfirmed API name; use AES128 or AES256';
  }
  return `must be AES128 or AES256, got ${showValue(value)}`;
};

const INTEGRITY_SPELLINGS: Record<string, AwsIntegrity> = {
  SHA1: 'SHA1',
  SHA256: 'SHA2-256',
  SHA2256: 'SHA2-256',
  SHA384: 'SHA2-384',
  SHA2384: 'SHA2-384',
  SHA512: 'SHA2-512',
  SHA2512: 'SHA2-512',
};

export const checkIntegrity: FieldCheck = (value) => {
  if (typeof value === 'string' && (AWS_INTEGRITIES as readonly string[]).includes(value)) return undefined;
  if (typeof value !== 'string') return `must be SHA1, SHA2-256, SHA2-384 or SHA2-512, got ${showValue(value)}`;
  const norm = value.toUpperCase().replace(/[\s_-]/g, '');
  if (norm === 'MD5') return 'MD5 is not accepted by AWS; use SHA1, SHA2-256, SHA2-384 or SHA2-512';
  const meant = INTEGRITY_SPELLINGS[norm];
  if (meant) return `write the AWS name '${meant}', got ${showValue(value)}`;
  return `must be SHA1, SHA2-256, SHA2-384 or SHA2-512, got ${showValue(value)}`;
};

function dhShapeProblem(value: unknown, accepted: string): string | undefined {
  if (typeof value === 'string') {
    const m = /^(?:group)?\s*(\d+)$/i.exec(value.trim());
    if (m) return `must be a number such as ${m[1]}, not a string, got ${showValue(value)}`;
    return `must be a DH group number (${accepted}), got ${showValue(value)}`;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return `must be a DH group number (${accepted}), got ${showValue(value)}`;
  }
  return undefined;
}

const ALIBABA_DH = 'Alibaba offers group1, group2, group5 and group14';

export const checkPhase1DhGroup: FieldCheck = (value) => {
  const shape = dhShapeProblem(value, '2 or 14');
  if (shape) return shape;
  const g = value as number;
  if (g === 2 || g === 14) return undefined;
  if (g === 1 || g === 5) return `DH group ${g} is not accepted by AWS in phase 1; use 2 or 14`;
  if (g >= 15 && g <= 24) return `DH group ${g} is accepted by AWS but not by Alibaba (${ALIBABA_DH}); use 2 or 14`;
  return `DH group ${g} is accepted by neither AWS nor Alibaba in phase 1; use 2 or 14`;
};

export const checkPhase2DhGroup: FieldCheck = (value) => {
  if (value === 'disabled' || value === false || value === 0 || value === null || value === 'none') {
    return 'PFS cannot be disabled: AWS always applies a DH group in phase 2; use 2, 5 or 14';
  }
  const shape = dhShapeProblem(value, '2, 5 or 14');
  if (shape) return shape;
  const g = value as number;
  if (g === 2 || g === 5 || g === 14) return undefined;
  if (g === 1) return 'DH group 1 is not accepted by AWS in phase 2; use 2, 5 or 14';
  if (g >= 15 && g <= 24) return `DH group ${g} is accepted by AWS but not by Alibaba (${ALIBABA_DH}); use 2, 5 or 14`;
  return `DH group ${g} is accepted by neither AWS nor Alibaba in phase 2; use 2, 5 or 14`;
};

function lifetimeCheck(phase: 'phase1' | 'phase2'): FieldCheck {
  const { min, max } = LIFETIME_LIMITS[phase];
  const label = phase === 'phase1' ? 'phase 1' : 'phase 2';
  return (value) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      return `must be a whole number of seconds (${min}-${max}), got ${showValue(value)}`;
    }
    if (value > max) {
      return `AWS accepts at most ${max} s in ${label} (Alibaba allows up to 86400, but AWS rekeys at its own maximum and the tunnel flaps); got ${value}`;
    }
    if (value < min) return `AWS accepts at least ${min} s in ${label}; got ${value}`;
    return undefined;
  };
}
export const checkPhase1Lifetime: FieldCheck = lifetimeCheck('phase1');
export const checkPhase2Lifetime: FieldCheck = lifetimeCheck('phase2');

export const checkDpdTimeoutSeconds: FieldCheck = (value) => {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return `must be a whole number of seconds (at least ${MIN_DPD_TIMEOUT_SECONDS}), got ${showValue(value)}`;
  }
  if (value < MIN_DPD_TIMEOUT_SECONDS) {
    return `AWS requires a DPD timeout of at least ${MIN_DPD_TIMEOUT_SECONDS} s; got ${value}`;
  }
  return undefined;
};

export const checkDpdTimeoutAction: FieldCheck = (value) => {
  if (value === 'clear' || value === 'none' || value === 'restart') return undefined;
  return `must be 'clear', 'none' or 'restart' (AWS DPDTimeoutAction), got ${showValue(value)}`;
};

// ---------------------------------------------------------------------------------------------------------------
// resolveCrypto

const OVERRIDES_PATH = 'tunnels.overrides';
const PHASE_FIELDS = ['encryption', 'integrity', 'dhGroup', 'lifetimeSeconds'] as const;
const OVERRIDE_FIELDS = ['ikeVersion', 'phase1', 'phase2', 'dpdTimeoutSeconds', 'dpdTimeoutAction'] as const;

/** Overrides as accepted by resolveCrypto: the typed spec shape, or raw parsed input (validated here). */
export type CryptoOverridesInput = { readonly [K in keyof CryptoOverrides]?: unknown };

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function sameSettings(a: CryptoProfile, b: CryptoProfile): boolean {
  const strip = (p: CryptoProfile) => JSON.stringify({ ...p, customised: false });
  return strip(a) === strip(b);
}

/**
 * Applies validated overrides to a named profile. Every rule is what BOTH clouds accept (docs/sources.md#the-article-and-the-interoperability-guides-interop):
 * errors carry the spec path (`tunnels.overrides.phase1.dhGroup`) and the reason.
 */
export function resolveCrypto(
  profile: CryptoProfileName,
  overrides?: CryptoOverridesInput,
): { ok: true; crypto: CryptoProfile } | { ok: false; errors: SpecIssue[] } {
  const errors: SpecIssue[] = [];
  const fail = (path: string, message: string) => errors.push({ path, message, severity: 'error' });

  const base = (CRYPTO_PROFILE_NAMES as readonly string[]).includes(profile) ? PROFILES[profile] : undefined;
  if (!base) {
    fail('tunnels.profile', `must be 'recommended' or 'article-2018', got ${showValue(profile)}`);
    return { ok: false, errors };
  }
  if (overrides === undefined) return { ok: true, crypto: base };
  if (!isRecord(overrides)) {
    fail(OVERRIDES_PATH, `must be an object of crypto overrides, got ${showValue(overrides)}`);
    return { ok: false, errors };
  }

  const out: CryptoProfile = {
    ...base,
    phase1: { ...base.phase1 },
    phase2: { ...base.phase2 },
  };
  for (const key of Object.keys(overrides)) {
    if (!(OVERRIDE_FIELDS as readonly string[]).includes(key)) {
      fail(`${OVERRIDES_PATH}.${key}`, `unknown field '${OVERRIDES_PATH}.${key}'`);
    }
  }

  const apply = <T>(path: string, value: unknown, check: FieldCheck, set: (v: T) => void) => {
    if (value === undefined) return;
    const problem = check(value);
    if (problem) fail(path, problem);
    else set(value as T);
  };

  apply<IkeVersion>(`${OVERRIDES_PATH}.ikeVersion`, overrides.ikeVersion, checkIkeVersion, (v) => {
    out.ikeVersion = v;
  });
  apply<number>(`${OVERRIDES_PATH}.dpdTimeoutSeconds`, overrides.dpdTimeoutSeconds, checkDpdTimeoutSeconds, (v) => {
    out.dpdTimeoutSeconds = v;
  });
  apply<DpdTimeoutAction>(
    `${OVERRIDES_PATH}.dpdTimeoutAction`,
    overrides.dpdTimeoutAction,
    checkDpdTimeoutAction,
    (v) => {
      out.dpdTimeoutAction = v;
    },
  );

  const phases = [
    { key: 'phase1', dh: checkPhase1DhGroup, lifetime: checkPhase1Lifetime },
    { key: 'phase2', dh: checkPhase2DhGroup, lifetime: checkPhase2Lifetime },
  ] as const;
  for (const { key, dh, lifetime } of phases) {
    const raw = overrides[key];
    if (raw === undefined) continue;
    const path = `${OVERRIDES_PATH}.${key}`;
    if (!isRecord(raw)) {
      fail(path, `must be an object with encryption, integrity, dhGroup, lifetimeSeconds, got ${showValue(raw)}`);
      continue;
    }
    for (const field of Object.keys(raw)) {
      if (!(PHASE_FIELDS as readonly string[]).includes(field))
        fail(`${path}.${field}`, `unknown field '${path}.${field}'`);
    }
    // The target is a union of the two phase shapes; each value was validated for its own phase above.
    const target = out[key] as PhaseSettings<number>;
    apply<AwsEncryption>(`${path}.encryption`, raw.encryption, checkEncryption, (v) => {
      target.encryption = v;
    });
    apply<AwsIntegrity>(`${path}.integrity`, raw.integrity, checkIntegrity, (v) => {
      target.integrity = v;
    });
    apply<number>(`${path}.dhGroup`, raw.dhGroup, dh, (v) => {
      target.dhGroup = v;
    });
    apply<number>(`${path}.lifetimeSeconds`, raw.lifetimeSeconds, lifetime, (v) => {
      target.lifetimeSeconds = v;
    });
  }

  // AWS: phase 2 lifetime strictly less than phase 1 (docs/sources.md#aws-aws). Report it on the field the user changed.
  if (errors.length === 0 && out.phase2.lifetimeSeconds >= out.phase1.lifetimeSeconds) {
    const p2Overridden = isRecord(overrides.phase2) && overrides.phase2.lifetimeSeconds !== undefined;
    fail(
      `${OVERRIDES_PATH}.${p2Overridden ? 'phase2' : 'phase1'}.lifetimeSeconds`,
      `the phase-2 lifetime (${out.phase2.lifetimeSeconds} s) must be shorter than the phase-1 lifetime (${out.phase1.lifetimeSeconds} s) (AWS rule)`,
    );
  }

  if (errors.length > 0) return { ok: false, errors };
  out.customised = !sameSettings(out, base);
  return { ok: true, crypto: deepFreeze(out) };
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping to the wire vocabularies (neutral shapes with the providers' field names; no SDK types).

/** EC2 `VpnTunnelOptionsSpecification` (REQUEST spelling: DPD..., IKEVersions). */
export interface AwsTunnelOptionsSpec {
  TunnelInsideCidr: string;
  PreSharedKey?: string;
  Phase1LifetimeSeconds: number;
  Phase2LifetimeSeconds: number;
  DPDTimeoutSeconds: number;
  DPDTimeoutAction: DpdTimeoutAction;
  StartupAction: 'start';
  Phase1EncryptionAlgorithms: Array<{ Value: AwsEncryption }>;
  Phase2EncryptionAlgorithms: Array<{ Value: AwsEncryption }>;
  Phase1IntegrityAlgorithms: Array<{ Value: AwsIntegrity }>;
  Phase2IntegrityAlgorithms: Array<{ Value: AwsIntegrity }>;
  Phase1DHGroupNumbers: Array<{ Value: number }>;
  Phase2DHGroupNumbers: Array<{ Value: number }>;
  IKEVersions: Array<{ Value: IkeVersion }>;
}

/**
 * AWS tunnel options pinned to exactly the profile's values: AWS evaluates proposals starting with the lowest
 * configured value of each list (docs/sources.md#the-article-and-the-interoperability-guides-interop), so every list holds one element.
 */
export function awsTunnelOptions(
  crypto: CryptoProfile,
  opts: { insideCidr: string; psk?: string },
): AwsTunnelOptionsSpec {
  if (opts.psk !== undefined && !isValidPsk(opts.psk)) {
    // Never echo the key itself.
    throw new Error('the pre-shared key does not satisfy the PSK rule (8-64 of [A-Za-z0-9._], not starting with 0)');
  }
  return {
    TunnelInsideCidr: opts.insideCidr,
    ...(opts.psk !== undefined ? { PreSharedKey: opts.psk } : {}),
    Phase1LifetimeSeconds: crypto.phase1.lifetimeSeconds,
    Phase2LifetimeSeconds: crypto.phase2.lifetimeSeconds,
    DPDTimeoutSeconds: crypto.dpdTimeoutSeconds,
    DPDTimeoutAction: crypto.dpdTimeoutAction,
    StartupAction: crypto.startupAction,
    Phase1EncryptionAlgorithms: [{ Value: crypto.phase1.encryption }],
    Phase2EncryptionAlgorithms: [{ Value: crypto.phase2.encryption }],
    Phase1IntegrityAlgorithms: [{ Value: crypto.phase1.integrity }],
    Phase2IntegrityAlgorithms: [{ Value: crypto.phase2.integrity }],
    Phase1DHGroupNumbers: [{ Value: crypto.phase1.dhGroup }],
    Phase2DHGroupNumbers: [{ Value: crypto.phase2.dhGroup }],
    IKEVersions: [{ Value: crypto.ikeVersion }],
  };
}

export type AlibabaEncAlg = 'aes' | 'aes256';
export type AlibabaAuthAlg = 'sha1' | 'sha256' | 'sha384' | 'sha512';
export type AlibabaIkePfs = 'group2' | 'group14';
export type AlibabaIpsecPfs = 'group2' | 'group5' | 'group14';

// `aes` = AES-128 is inferred from aes192/aes256 being separate values (docs/sources.md#the-article-and-the-interoperability-guides-interop, unconfirmed).
const TO_ALIBABA_ENC: Record<AwsEncryption, AlibabaEncAlg> = { AES128: 'aes', AES256: 'aes256' };
const TO_ALIBABA_AUTH: Record<AwsIntegrity, AlibabaAuthAlg> = {
  SHA1: 'sha1',
  'SHA2-256': 'sha256',
  'SHA2-384': 'sha384',
  'SHA2-512': 'sha512',
};

export interface AlibabaIkeConfig {
  IkeVersion: IkeVersion;
  IkeMode: 'main';
  IkeEncAlg: AlibabaEncAlg;
  IkeAuthAlg: AlibabaAuthAlg;
  IkePfs: AlibabaIkePfs;
  IkeLifetime: number;
  Psk: string;
  /** IKE identities, set explicitly (docs/ike-mapping.md "Identities"): LocalId = the Alibaba IP the tunnel leaves from */
  LocalId?: string;
  /** RemoteId = the AWS tunnel outside IP (the identity AWS presents) */
  RemoteId?: string;
}
export interface AlibabaIpsecConfig {
  IpsecEncAlg: AlibabaEncAlg;
  IpsecAuthAlg: AlibabaAuthAlg;
  IpsecPfs: AlibabaIpsecPfs;
  IpsecLifetime: number;
}

/**
 * Alibaba `TunnelIkeConfig` / legacy `IkeConfig` content; every value explicit (never Alibaba's md5/86400 defaults).
 * With `ids`, the IKE identities too: both ends identify themselves by their outside IPs, as AWS does.
 */
export function alibabaIkeConfig(
  crypto: CryptoProfile,
  psk: string,
  ids?: { localId: string; remoteId: string },
): AlibabaIkeConfig {
  if (!isValidPsk(psk)) {
    throw new Error('the pre-shared key does not satisfy the PSK rule (8-64 of [A-Za-z0-9._], not starting with 0)');
  }
  return {
    IkeVersion: crypto.ikeVersion,
    IkeMode: crypto.ikeMode,
    IkeEncAlg: TO_ALIBABA_ENC[crypto.phase1.encryption],
    IkeAuthAlg: TO_ALIBABA_AUTH[crypto.phase1.integrity],
    IkePfs: `group${crypto.phase1.dhGroup}`,
    IkeLifetime: crypto.phase1.lifetimeSeconds,
    Psk: psk,
    ...(ids ? { LocalId: ids.localId, RemoteId: ids.remoteId } : {}),
  };
}

/** Alibaba `TunnelIpsecConfig` / legacy `IpsecConfig` content. */
export function alibabaIpsecConfig(crypto: CryptoProfile): AlibabaIpsecConfig {
  return {
    IpsecEncAlg: TO_ALIBABA_ENC[crypto.phase2.encryption],
    IpsecAuthAlg: TO_ALIBABA_AUTH[crypto.phase2.integrity],
    IpsecPfs: `group${crypto.phase2.dhGroup}`,
    IpsecLifetime: crypto.phase2.lifetimeSeconds,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Reverse normalisers for the drift check: describe expected and observed crypto as flat attribute -> text maps
// in the AWS vocabulary, so expected vs actual compare key by key.

export type CryptoAttribute =
  | 'ikeVersion'
  | 'ikeMode'
  | 'phase1.encryption'
  | 'phase1.integrity'
  | 'phase1.dhGroup'
  | 'phase1.lifetimeSeconds'
  | 'phase2.encryption'
  | 'phase2.integrity'
  | 'phase2.dhGroup'
  | 'phase2.lifetimeSeconds'
  | 'dpdTimeoutSeconds'
  | 'dpdTimeoutAction'
  | 'startupAction';
export type CryptoDescription = Partial<Record<CryptoAttribute, string>>;

/** Alibaba encryption name -> AWS name; unknown values are returned unchanged (so drift shows them as they are). */
export function awsEncryptionFromAlibaba(alg: string): string {
  if (alg === 'aes') return 'AES128';
  if (alg === 'aes256') return 'AES256';
  return alg;
}
/** Alibaba integrity name -> AWS name; unknown values (md5) are returned unchanged. */
export function awsIntegrityFromAlibaba(alg: string): string {
  const found = (Object.entries(TO_ALIBABA_AUTH) as Array<[AwsIntegrity, AlibabaAuthAlg]>).find(([, a]) => a === alg);
  return found ? found[0] : alg;
}
/** Alibaba `groupN` -> 'N'; `disabled` and unknown values are returned unchanged. */
export function dhGroupFromAlibaba(pfs: string): string {
  const m = /^group(\d+)$/.exec(pfs);
  return m?.[1] ?? pfs;
}

/** What the expected profile looks like on one cloud (each cloud has attributes the other lacks). */
export function describeCrypto(crypto: CryptoProfile, cloud: 'aws' | 'alibaba'): CryptoDescription {
  const shared: CryptoDescription = {
    ikeVersion: crypto.ikeVersion,
    'phase1.encryption': crypto.phase1.encryption,
    'phase1.integrity': crypto.phase1.integrity,
    'phase1.dhGroup': String(crypto.phase1.dhGroup),
    'phase1.lifetimeSeconds': String(crypto.phase1.lifetimeSeconds),
    'phase2.encryption': crypto.phase2.encryption,
    'phase2.integrity': crypto.phase2.integrity,
    'phase2.dhGroup': String(crypto.phase2.dhGroup),
    'phase2.lifetimeSeconds': String(crypto.phase2.lifetimeSeconds),
  };
  if (cloud === 'alibaba') return { ...shared, ikeMode: crypto.ikeMode };
  return {
    ...shared,
    dpdTimeoutSeconds: String(crypto.dpdTimeoutSeconds),
    dpdTimeoutAction: crypto.dpdTimeoutAction,
    startupAction: crypto.startupAction,
  };
}

type ValueList = ReadonlyArray<{ Value?: string | number | undefined }> | undefined;

/** Observed AWS tunnel (DescribeVpnConnections `TunnelOption`, RESPONSE spelling: Dpd..., IkeVersions). */
export interface AwsTunnelOptionObserved {
  Phase1LifetimeSeconds?: number | undefined;
  Phase2LifetimeSeconds?: number | undefined;
  DpdTimeoutSeconds?: number | undefined;
  DpdTimeoutAction?: string | undefined;
  StartupAction?: string | undefined;
  Phase1EncryptionAlgorithms?: ValueList;
  Phase2EncryptionAlgorithms?: ValueList;
  Phase1IntegrityAlgorithms?: ValueList;
  Phase2IntegrityAlgorithms?: ValueList;
  Phase1DHGroupNumbers?: ValueList;
  Phase2DHGroupNumbers?: ValueList;
  IkeVersions?: ValueList;
}

const UNSET = '(unset)';
function listText(list: ValueList): string {
  const values = (list ?? []).map((v) => v.Value).filter((v): v is string | number => v !== undefined);
  return values.length === 0 ? UNSET : values.map(String).sort().join(',');
}
function scalarText(value: string | number | undefined): string {
  if (value === undefined || value === '') return UNSET;
  return typeof value === 'string' && /^\d+$/.test(value) ? String(Number(value)) : String(value);
}

/** Observed AWS crypto in the same shape as describeCrypto(..., 'aws'); a multi-value list reads 'AES128,AES256'. */
export function describeAwsTunnelCrypto(option: AwsTunnelOptionObserved): CryptoDescription {
  return {
    ikeVersion: listText(option.IkeVersions),
    'phase1.encryption': listText(option.Phase1EncryptionAlgorithms),
    'phase1.integrity': listText(option.Phase1IntegrityAlgorithms),
    'phase1.dhGroup': listText(option.Phase1DHGroupNumbers),
    'phase1.lifetimeSeconds': scalarText(option.Phase1LifetimeSeconds),
    'phase2.encryption': listText(option.Phase2EncryptionAlgorithms),
    'phase2.integrity': listText(option.Phase2IntegrityAlgorithms),
    'phase2.dhGroup': listText(option.Phase2DHGroupNumbers),
    'phase2.lifetimeSeconds': scalarText(option.Phase2LifetimeSeconds),
    dpdTimeoutSeconds: scalarText(option.DpdTimeoutSeconds),
    dpdTimeoutAction: scalarText(option.DpdTimeoutAction),
    startupAction: scalarText(option.StartupAction),
  };
}

type ObservedFields<K extends string> = { [P in K | Uncapitalize<K>]?: string | number | undefined };
/**
 * Observed Alibaba tunnel crypto (`TunnelIkeConfig` / `TunnelIpsecConfig`; lifetimes may arrive as strings).
 * Accepts the wire spelling (IkeEncAlg) and the SDK model spelling (ikeEncAlg), since @alicloud/vpc20160428's model
 * classes use camelCase properties.
 */
export type AlibabaIkeObserved = ObservedFields<
  'IkeVersion' | 'IkeMode' | 'IkeEncAlg' | 'IkeAuthAlg' | 'IkePfs' | 'IkeLifetime'
>;
export type AlibabaIpsecObserved = ObservedFields<'IpsecEncAlg' | 'IpsecAuthAlg' | 'IpsecPfs' | 'IpsecLifetime'>;

function field<K extends string>(obj: ObservedFields<K>, wire: K): string | number | undefined {
  const camel = (wire.charAt(0).toLowerCase() + wire.slice(1)) as Uncapitalize<K>;
  return (
    (obj as Record<string, string | number | undefined>)[wire] ??
    (obj as Record<string, string | number | undefined>)[camel]
  );
}

/** Observed Alibaba crypto in the same shape as describeCrypto(..., 'alibaba'), translated to AWS names. */
export function describeAlibabaTunnelCrypto(
  ike: AlibabaIkeObserved = {},
  ipsec: AlibabaIpsecObserved = {},
): CryptoDescription {
  const map = (value: string | number | undefined, fn: (v: string) => string) =>
    value === undefined || value === '' ? UNSET : fn(String(value));
  return {
    ikeVersion: scalarText(field(ike, 'IkeVersion')),
    ikeMode: scalarText(field(ike, 'IkeMode')),
    'phase1.encryption': map(field(ike, 'IkeEncAlg'), awsEncryptionFromAlibaba),
    'phase1.integrity': map(field(ike, 'IkeAuthAlg'), awsIntegrityFromAlibaba),
    'phase1.dhGroup': map(field(ike, 'IkePfs'), dhGroupFromAlibaba),
    'phase1.lifetimeSeconds': scalarText(field(ike, 'IkeLifetime')),
    'phase2.encryption': map(field(ipsec, 'IpsecEncAlg'), awsEncryptionFromAlibaba),
    'phase2.integrity': map(field(ipsec, 'IpsecAuthAlg'), awsIntegrityFromAlibaba),
    'phase2.dhGroup': map(field(ipsec, 'IpsecPfs'), dhGroupFromAlibaba),
    'phase2.lifetimeSeconds': scalarText(field(ipsec, 'IpsecLifetime')),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Pre-shared keys (docs/sources.md#the-article-and-the-interoperability-guides-interop): valid on both clouds.

export const PSK_PATTERN = /^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$/;

export function isValidPsk(value: unknown): value is string {
  return typeof value === 'string' && PSK_PATTERN.test(value);
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** exactly 64 characters, so `byte & 63` picks one without bias */
const PSK_ALPHABET = `${LETTERS}0123456789._`;
const MAX_DRAWS = 64;

/**
 * A PSK of `length` (8-64) characters from [A-Za-z0-9._], the first one a letter (the conservative reading of
 * "must not start with 0"). Randomness is injected (`(n) => crypto.randomBytes(n)` in production) to keep this pure.
 */
export function generatePsk(randomBytes: (n: number) => Uint8Array, length = 32): string {
  if (!Number.isInteger(length) || length < 8 || length > 64) {
    throw new RangeError(`PSK length must be 8-64, got ${length}`);
  }
  // First character: rejection sampling over 52 letters (208 = 4 * 52) so the letter is unbiased.
  let first: string | undefined;
  for (let draw = 0; draw < MAX_DRAWS && first === undefined; draw++) {
    for (const byte of randomBytes(8)) {
      if (byte < 208) {
        first = LETTERS[byte % 52];
        break;
      }
    }
  }
  if (first === undefined) throw new Error('the random source returned no usable bytes');
  const rest = randomBytes(length - 1);
  if (rest.length < length - 1) throw new Error('the random source returned too few bytes');
  let out = first;
  for (let i = 0; i < length - 1; i++) out += PSK_ALPHABET[(rest[i] ?? 0) & 63];
  return out;
}
