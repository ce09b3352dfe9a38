import { SimError } from '../../core/errors';
import type { Tag } from '../../types';
import { illegal, missing } from './errors';

// Request parameters as the RPC wire carries them: flat dotted keys, every value a string
// (`Tags.1.Key=k`, `TunnelOptionsSpecification.1.TunnelIkeConfig.Psk=x`, booleans 'true'/'false').
// `Params` reads one level of them; `list()`/`sub()` rebuild nested arrays/objects, keeping the full
// dotted path as a label so errors name the exact parameter.

export class Params {
  constructor(
    readonly raw: Record<string, string>,
    readonly label = '',
  ) {}

  /** JSON-string parameters (IkeConfig, IpsecConfig, HealthCheckConfig, BgpConfig): values become strings */
  static fromJson(name: string, text: string): Params {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw illegal(name, text, 'not a JSON object');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw illegal(name, text, 'not a JSON object');
    const raw: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (v === null || v === undefined) continue;
      raw[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    return new Params(raw, `${name}.`);
  }

  name(key: string): string {
    return `${this.label}${key}`;
  }

  /** present and non-empty (an empty value counts as absent) */
  has(key: string): boolean {
    const v = this.raw[key];
    return v !== undefined && v !== '';
  }

  str(key: string): string | undefined {
    const v = this.raw[key];
    return v === undefined || v === '' ? undefined : v;
  }

  required(key: string): string {
    const v = this.str(key);
    if (v === undefined) throw missing(this.name(key));
    return v;
  }

  bool(key: string): boolean | undefined {
    const v = this.str(key);
    if (v === undefined) return undefined;
    const l = v.toLowerCase();
    if (l === 'true') return true;
    if (l === 'false') return false;
    throw illegal(this.name(key), v, 'expected true or false');
  }

  requiredBool(key: string): boolean {
    const v = this.bool(key);
    if (v === undefined) throw missing(this.name(key));
    return v;
  }

  int(key: string, min?: number, max?: number): number | undefined {
    const v = this.str(key);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v)) throw illegal(this.name(key), v, 'expected an integer');
    const n = Number(v);
    if ((min !== undefined && n < min) || (max !== undefined && n > max))
      throw illegal(this.name(key), v, `expected ${min ?? '-inf'}-${max ?? 'inf'}`);
    return n;
  }

  requiredInt(key: string, min?: number, max?: number): number {
    const v = this.int(key, min, max);
    if (v === undefined) throw missing(this.name(key));
    return v;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const v = this.str(key);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v))
      throw illegal(this.name(key), v, `valid values: ${allowed.join(', ')}`);
    return v as T;
  }

  /** nested object `key.*` */
  sub(key: string): Params {
    const raw: Record<string, string> = {};
    const prefix = `${key}.`;
    for (const [k, v] of Object.entries(this.raw)) if (k.startsWith(prefix)) raw[k.slice(prefix.length)] = v;
    return new Params(raw, `${this.label}${prefix}`);
  }

  /** true when any `key.*` parameter is present */
  hasSub(key: string): boolean {
    const prefix = `${key}.`;
    return Object.keys(this.raw).some((k) => k.startsWith(prefix));
  }

  /** repeated list `key.N.*` (N from 1), ordered by N */
  list(key: string): Params[] {
    const groups = new Map<number, Record<string, string>>();
    const re = new RegExp(`^${key.replace(/\./g, '\\.')}\\.(\\d+)\\.(.+)$`);
    for (const [k, v] of Object.entries(this.raw)) {
      const m = re.exec(k);
      if (!m) continue;
      const n = Number(m[1]);
      const g = groups.get(n) ?? {};
      g[m[2] as string] = v;
      groups.set(n, g);
    }
    return [...groups.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([n, raw]) => new Params(raw, `${this.label}${key}.${n}.`));
  }

  /** repeated scalar list `key.N` */
  scalars(key: string): string[] {
    const re = new RegExp(`^${key.replace(/\./g, '\\.')}\\.(\\d+)$`);
    return Object.entries(this.raw)
      .map(([k, v]) => [re.exec(k), v] as const)
      .filter((e): e is readonly [RegExpExecArray, string] => e[0] !== null && e[1] !== '')
      .sort((a, b) => Number(a[0][1]) - Number(b[0][1]))
      .map(([, v]) => v);
  }
}

/** user tags `Tags.N.Key/Value` (create calls): at most 20, keys 1-128 chars not starting with aliyun / acs: */
export function tagsOf(p: Params, key = 'Tags'): Tag[] {
  const items = p.list(key);
  if (items.length > 20) throw illegal(p.name(key), String(items.length), 'at most 20 tags');
  const tags: Tag[] = [];
  for (const t of items) {
    const k = t.required('Key');
    if (k.length > 128 || /^(aliyun|acs:)/i.test(k) || /^https?:\/\//.test(k)) throw illegal(t.name('Key'), k);
    const v = t.str('Value') ?? '';
    if (v.length > 128 || /^https?:\/\//.test(v)) throw illegal(t.name('Value'), v);
    const existing = tags.find((x) => x.Key === k);
    if (existing) existing.Value = v;
    else tags.push({ Key: k, Value: v });
  }
  return tags;
}

/** tag filter `Tag.N.Key/Value` (describe calls): every given key must be present with the given value (if any) */
export function tagFilter(p: Params, key = 'Tag'): (tags: Tag[]) => boolean {
  const wanted = p
    .list(key)
    .map((t) => ({ Key: t.str('Key'), Value: t.str('Value') }))
    .filter((t) => t.Key !== undefined);
  return (tags) =>
    wanted.every((w) => tags.some((t) => t.Key === w.Key && (w.Value === undefined || t.Value === w.Value)));
}

export interface Page {
  pageNumber: number;
  pageSize: number;
}

/** PageNumber (>=1, default 1) / PageSize (1-max, default 10); out-of-range values are rejected (unconfirmed: the real API may clamp) */
export function pageOf(p: Params, max = 50): Page {
  return { pageNumber: p.int('PageNumber', 1) ?? 1, pageSize: p.int('PageSize', 1, max) ?? 10 };
}

export function paginate<T>(items: T[], page: Page): T[] {
  const start = (page.pageNumber - 1) * page.pageSize;
  return items.slice(start, start + page.pageSize);
}

/** `Name`-like strings: length bounds and no http(s):// prefix */
export function checkText(p: Params, key: string, code: string, min: number, max: number): string | undefined {
  const v = p.str(key);
  if (v === undefined) return undefined;
  if (v.length < min || v.length > max || /^https?:\/\//.test(v))
    throw new SimError(
      code,
      `The specified ${p.name(key)} "${v}" is invalid: ${min}-${max} characters, not starting with http:// or https://.`,
      400,
    );
  return v;
}
