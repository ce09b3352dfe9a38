// Parses `swanctl --list-sas --raw` (the vici message printed as `key=value`, `key=[a b]` and `key {…}`) into
// the parts the harness reports. Pure. Values with spaces do not occur in what is read here (IPs, FQDNs,
// algorithm names, numbers).

export type RawSection = { [key: string]: string | string[] | RawSection };

function tokens(text: string): string[] {
  return text.match(/[{}[\]]|[^\s{}[\]]+/g) ?? [];
}

function parseSection(tok: string[], at: number): [RawSection, number] {
  const out: RawSection = {};
  let i = at;
  while (i < tok.length) {
    const t = tok[i] ?? '';
    if (t === '}') return [out, i + 1];
    const eq = t.indexOf('=');
    if (eq > 0) {
      const key = t.slice(0, eq);
      const value = t.slice(eq + 1);
      if (value === '' && tok[i + 1] === '[') {
        const list: string[] = [];
        i += 2;
        while (i < tok.length && tok[i] !== ']') list.push(tok[i++] ?? '');
        out[key] = list;
        i++;
      } else {
        out[key] = value;
        i++;
      }
    } else if (tok[i + 1] === '{') {
      const [inner, next] = parseSection(tok, i + 2);
      out[t] = inner;
      i = next;
    } else i++;
  }
  return [out, i];
}

export interface ChildSa {
  name: string;
  state: string;
  protocol: string;
  encap: boolean;
  proposal: string;
  localTs: string[];
  remoteTs: string[];
  bytesIn: number;
  bytesOut: number;
  packetsIn: number;
  packetsOut: number;
}

export interface IkeSa {
  name: string;
  version: string;
  state: string;
  localHost: string;
  remoteHost: string;
  localId: string;
  remoteId: string;
  /** e.g. AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048 */
  proposal: string;
  initiator: boolean;
  children: ChildSa[];
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const num = (v: unknown): number => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : 0);

function proposalOf(s: RawSection, withPrf: boolean): string {
  const enc = str(s['encr-alg']);
  const size = str(s['encr-keysize']);
  const parts = [size ? `${enc}-${size}` : enc, str(s['integ-alg'])];
  if (withPrf) parts.push(str(s['prf-alg']));
  parts.push(str(s['dh-group']));
  return parts.filter(Boolean).join('/');
}

/** every IKE SA in the output (one `list-sa event {…}` each) */
export function parseListSas(text: string): IkeSa[] {
  const out: IkeSa[] = [];
  for (const line of text.split('\n')) {
    const m = /^list-sa event (\{.*\})\s*$/.exec(line.trim());
    if (!m?.[1]) continue;
    const [top] = parseSection(tokens(m[1]), 1);
    for (const [name, raw] of Object.entries(top)) {
      if (typeof raw !== 'object' || Array.isArray(raw)) continue;
      const kids = raw['child-sas'];
      const children: ChildSa[] = [];
      if (kids && typeof kids === 'object' && !Array.isArray(kids)) {
        for (const c of Object.values(kids)) {
          if (typeof c !== 'object' || Array.isArray(c)) continue;
          children.push({
            name: str(c.name),
            state: str(c.state),
            protocol: str(c.protocol),
            encap: str(c.encap) === 'yes',
            proposal: proposalOf(c, false),
            localTs: list(c['local-ts']),
            remoteTs: list(c['remote-ts']),
            bytesIn: num(c['bytes-in']),
            bytesOut: num(c['bytes-out']),
            packetsIn: num(c['packets-in']),
            packetsOut: num(c['packets-out']),
          });
        }
      }
      out.push({
        name,
        version: str(raw.version),
        state: str(raw.state),
        localHost: str(raw['local-host']),
        remoteHost: str(raw['remote-host']),
        localId: str(raw['local-id']),
        remoteId: str(raw['remote-id']),
        proposal: proposalOf(raw, true),
        initiator: str(raw.initiator) === 'yes',
        children,
      });
    }
  }
  return out;
}
