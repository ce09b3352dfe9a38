import { randomBytes, randomUUID } from 'node:crypto';

// Identifiers and public IPs that look like the providers' own. A seeded PRNG keeps a fresh world's ids
// reproducible (handy in test output); PSKs come from crypto randomness.

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEX = '0123456789abcdef';
const ALI = 'abcdefghijklmnopqrstuvwxyz0123456789';
const PSK_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

export class IdGen {
  private rnd: () => number;
  private used = new Set<string>();
  private awsIps: string[];
  private aliIps: string[];

  constructor(seed = 20181212) {
    this.rnd = mulberry32(seed);
    // The first addresses handed out are the article's example values (article-procedure.md).
    this.awsIps = ['34.194.44.159', '34.198.177.52'];
    this.aliIps = ['47.254.72.128'];
  }

  private pick(chars: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += chars[Math.floor(this.rnd() * chars.length)];
    return s;
  }

  private unique(make: () => string): string {
    for (;;) {
      const v = make();
      if (!this.used.has(v)) {
        this.used.add(v);
        return v;
      }
    }
  }

  /** an id a world definition names: never handed out again */
  reserve(id: string): string {
    this.used.add(id);
    return id;
  }

  /** AWS style: vgw-0a1b2c3d4e5f67890 (17 hex digits) */
  aws(prefix: string): string {
    return this.unique(() => `${prefix}-0${this.pick(HEX, 16)}`);
  }

  /** Alibaba style: vpn-gw8xk2m1q9c7d3f5h0j2l (prefix + 21 lowercase alphanumerics) */
  ali(prefix: string): string {
    return this.unique(() => `${prefix}-${this.pick(ALI, 21)}`);
  }

  /** AWS tunnel outside IP (Amazon public space) */
  awsPublicIp(): string {
    return this.unique(
      () =>
        this.awsIps.shift() ??
        `${this.pickOf([3, 18, 34, 35, 52, 54])}.${this.octet()}.${this.octet()}.${this.octet(1)}`,
    );
  }

  /** Alibaba VPN gateway IP (Alibaba public space) */
  aliPublicIp(): string {
    return this.unique(
      () => this.aliIps.shift() ?? `${this.pickOf([8, 39, 47, 121])}.${this.octet()}.${this.octet()}.${this.octet(1)}`,
    );
  }

  requestId(): string {
    return randomUUID();
  }

  /** numeric order id for Alibaba paid orders */
  orderId(): number {
    return 200000000000000 + Math.floor(this.rnd() * 99999999999);
  }

  private octet(min = 0): number {
    return min + Math.floor(this.rnd() * (255 - min));
  }

  private pickOf<T>(xs: T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)] as T;
  }
}

/** An AWS-style generated PSK: 32 chars of [A-Za-z0-9._], first char a letter (valid on both clouds). */
export function generatePsk(length = 32): string {
  const bytes = randomBytes(length);
  let s = '';
  for (let i = 0; i < length; i++) {
    const b = bytes[i] as number;
    s += i === 0 ? PSK_CHARS[b % 52] : PSK_CHARS[b % PSK_CHARS.length];
  }
  return s;
}
