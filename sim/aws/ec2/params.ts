import { bad, missing } from './errors';

// The flat EC2 Query parameters (`Options.TunnelOptions.1.Phase1EncryptionAlgorithm.1.Value=AES128`), read
// as a tree: `sub('Options')` narrows to one nested object, `members('Filter')` lists the `Filter.N`
// objects in index order, `list('VpnGatewayId')` the scalar `VpnGatewayId.N` values.

export class Params {
  constructor(
    private readonly flat: Record<string, string>,
    /** the dotted path of this node, for messages ('' at the root) */
    readonly path = '',
  ) {}

  /** the parameters below `prefix` (`prefix.x` -> `x`) */
  sub(prefix: string): Params {
    const lead = `${prefix}.`;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.flat)) if (k.startsWith(lead)) out[k.slice(lead.length)] = v;
    return new Params(out, this.path ? `${this.path}.${prefix}` : prefix);
  }

  /** every parameter of this node, flat (`Phase1EncryptionAlgorithm.1.Value`) */
  entries(): Record<string, string> {
    return { ...this.flat };
  }

  /** true when no parameter sits at or below `key` */
  absent(key: string): boolean {
    const lead = `${key}.`;
    return !Object.keys(this.flat).some((k) => k === key || k.startsWith(lead));
  }

  /** true when this node holds no parameter at all */
  empty(): boolean {
    return Object.keys(this.flat).length === 0;
  }

  /** the numeric indices N of `prefix.N[.…]`, ascending */
  indices(prefix: string): number[] {
    const lead = `${prefix}.`;
    const seen = new Set<number>();
    for (const k of Object.keys(this.flat)) {
      if (!k.startsWith(lead)) continue;
      const seg = k.slice(lead.length).split('.')[0] ?? '';
      if (/^[1-9]\d*$/.test(seg)) seen.add(Number(seg));
    }
    return [...seen].sort((a, b) => a - b);
  }

  /** the `prefix.N` sub-objects in index order */
  members(prefix: string): Array<{ index: number; params: Params }> {
    return this.indices(prefix).map((index) => ({ index, params: this.sub(`${prefix}.${index}`) }));
  }

  /** the scalar values of `prefix.N` in index order */
  list(prefix: string): string[] {
    const out: string[] = [];
    for (const i of this.indices(prefix)) {
      const v = this.flat[`${prefix}.${i}`];
      if (v !== undefined) out.push(v);
    }
    return out;
  }

  str(key: string): string | undefined {
    return this.flat[key];
  }

  required(key: string): string {
    const v = this.flat[key];
    if (v === undefined || v === '') throw missing(this.name(key));
    return v;
  }

  bool(key: string): boolean | undefined {
    const v = this.flat[key];
    if (v === undefined) return undefined;
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw bad(`Invalid value '${v}' for ${this.name(key)}: expected true or false`);
  }

  int(key: string): number | undefined {
    const v = this.flat[key];
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v)) throw bad(`Invalid value '${v}' for ${this.name(key)}: expected an integer`);
    return Number(v);
  }

  /** `DryRun=true` */
  dryRun(): boolean {
    return this.bool('DryRun') === true;
  }

  private name(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }
}
