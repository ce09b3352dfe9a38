import type { Simulator } from '../../sim';
import { type ConnectionRecord, secretsOf } from '../../src/registry/record';

// The leak scan's two halves: the secrets (every key either cloud or a connection record ever held) and the
// search for them in a corpus of texts, reported with the place and a little context, the secret masked.

export interface Text {
  /** where the text came from: 'execution history <name>', 'HTTP GET /connections -> 200', 'cli status', ... */
  source: string;
  text: string;
}

export interface Hit {
  source: string;
  secret: string;
  context: string;
}

/** a secret as a failure message may show it: kind, first two characters and length */
export function masked(secret: string, label: string): string {
  return `<${label}:${secret.slice(0, 2)}..(${secret.length} chars)>`;
}

/** every place a secret appears in the texts; the context shows every secret masked, not just the one found */
export function scan(texts: readonly Text[], secrets: ReadonlyMap<string, string>): Hit[] {
  const longestFirst = [...secrets].sort((a, b) => b[0].length - a[0].length);
  const hits: Hit[] = [];
  for (const t of texts) {
    const found = longestFirst.filter(([secret]) => t.text.includes(secret));
    if (found.length === 0) continue;
    let safe = t.text;
    for (const [secret, label] of longestFirst) safe = safe.split(secret).join(masked(secret, label));
    for (const [secret, label] of found) {
      const mask = masked(secret, label);
      let at = safe.indexOf(mask);
      while (at >= 0) {
        const context = `...${safe.slice(Math.max(0, at - 40), at + mask.length + 40)}...`.replace(/\s+/g, ' ');
        hits.push({ source: t.source, secret: mask, context });
        at = safe.indexOf(mask, at + mask.length);
      }
    }
  }
  return hits;
}

export function hitReport(hits: readonly Hit[], max = 25): string {
  const lines = hits.slice(0, max).map((h) => `${h.secret} in ${h.source}: ${h.context}`);
  if (hits.length > max) lines.push(`... and ${hits.length - max} more`);
  return lines.join('\n');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Every key material the simulator holds right now: the PSKs of every AWS tunnel (deleted connections stay
 * in the state) and every Alibaba tunnel, and the PSKs kept in every version of every connection record.
 */
export function keyMaterial(sim: Simulator): string[] {
  const st = sim.ctx.state;
  const keys = new Set<string>();
  for (const r of Object.values(st.aws.regions))
    for (const c of Object.values(r.vpnConnections)) for (const t of c.TunnelOptions) keys.add(t.PreSharedKey);
  for (const r of Object.values(st.alibaba.regions))
    for (const c of Object.values(r.vpnConnections)) for (const t of c.Tunnels) keys.add(t.TunnelIkeConfig.Psk);
  for (const region of Object.values(st.aws.secrets))
    for (const s of Object.values(region)) {
      if (!s.Name.startsWith('vpn-bridge/')) continue;
      for (const v of s.Versions) {
        if (!v.SecretString) continue;
        let doc: unknown;
        try {
          doc = JSON.parse(v.SecretString);
        } catch {
          continue;
        }
        if (isObject(doc) && isObject(doc.handoffs))
          for (const k of secretsOf(doc as unknown as ConnectionRecord)) keys.add(k);
      }
    }
  return [...keys].filter(Boolean);
}

/** the ids of every VPN connection on both clouds right now (the scan checks it saw them: not vacuous) */
export function vpnConnectionIds(sim: Simulator): string[] {
  const st = sim.ctx.state;
  return [
    ...Object.values(st.aws.regions).flatMap((r) => Object.keys(r.vpnConnections)),
    ...Object.values(st.alibaba.regions).flatMap((r) => Object.keys(r.vpnConnections)),
  ];
}
