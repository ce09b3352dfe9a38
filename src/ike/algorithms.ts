// Provider algorithm names -> strongSwan proposal keywords (docs/ike-mapping.md §Algorithms).
// strongSwan keywords: https://docs.strongswan.org/docs/5.9/config/IKEv2CipherSuites.html
// AWS values: https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html (tunnel options, their defaults
// and their order); Alibaba values: https://www.alibabacloud.com/help/en/vpn/developer-reference/api-vpc-2016-04-28-createvpnconnection-vpns

/** DH group number -> strongSwan keyword (RFC 3526, RFC 5114, RFC 5903 groups) */
export const DH_GROUPS: Readonly<Record<number, string>> = {
  1: 'modp768',
  2: 'modp1024',
  5: 'modp1536',
  14: 'modp2048',
  15: 'modp3072',
  16: 'modp4096',
  17: 'modp6144',
  18: 'modp8192',
  19: 'ecp256',
  20: 'ecp384',
  21: 'ecp521',
  22: 'modp1024s160',
  23: 'modp2048s224',
  24: 'modp2048s256',
};

/** AWS tunnel option values in AWS's own (documented) order, which is also the order AWS prefers them in */
export const AWS_ENCRYPTION: ReadonlyArray<readonly [string, string]> = [
  ['AES128', 'aes128'],
  ['AES256', 'aes256'],
  ['AES128-GCM-16', 'aes128gcm16'],
  ['AES256-GCM-16', 'aes256gcm16'],
];
export const AWS_INTEGRITY: ReadonlyArray<readonly [string, string]> = [
  ['SHA1', 'sha1'],
  ['SHA2-256', 'sha256'],
  ['SHA2-384', 'sha384'],
  ['SHA2-512', 'sha512'],
];
export const AWS_PHASE1_DH = [2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24] as const;
export const AWS_PHASE2_DH = [2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24] as const;
export const AWS_IKE_VERSIONS = ['ikev1', 'ikev2'] as const;

/** Alibaba IkeEncAlg / IpsecEncAlg; `aes` is AES-128 (aes192 and aes256 are separate values) */
export const ALIBABA_ENCRYPTION: Readonly<Record<string, string>> = {
  aes: 'aes128',
  aes192: 'aes192',
  aes256: 'aes256',
  des: 'des',
  '3des': '3des',
};
/** Alibaba IkeAuthAlg / IpsecAuthAlg */
export const ALIBABA_INTEGRITY: Readonly<Record<string, string>> = {
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
};
/** Alibaba IkePfs / IpsecPfs (`disabled` = no PFS, phase 2 only) */
export const ALIBABA_DH: Readonly<Record<string, number>> = {
  group1: 1,
  group2: 2,
  group5: 5,
  group14: 14,
  group24: 24,
};

export class UnknownAlgorithm extends Error {
  constructor(
    readonly cloud: 'aws' | 'alibaba',
    readonly field: string,
    readonly value: string,
  ) {
    super(`${cloud} ${field} '${value}' has no strongSwan equivalent in this mapping`);
    this.name = 'UnknownAlgorithm';
  }
}

export function dhKeyword(cloud: 'aws' | 'alibaba', field: string, group: number): string {
  const k = DH_GROUPS[group];
  if (!k) throw new UnknownAlgorithm(cloud, field, String(group));
  return k;
}

/** the AWS list in AWS's preference order, defaults when empty (AWS stores undeclared lists as empty) */
export function awsOrdered(
  field: string,
  given: readonly string[],
  table: ReadonlyArray<readonly [string, string]>,
): Array<readonly [string, string]> {
  for (const v of given) {
    if (!table.some(([name]) => name === v)) throw new UnknownAlgorithm('aws', field, v);
  }
  return given.length === 0 ? [...table] : table.filter(([name]) => given.includes(name));
}

export function awsGroups(given: readonly number[], defaults: readonly number[]): number[] {
  return given.length === 0 ? [...defaults] : defaults.filter((g) => given.includes(g));
}
