import type { Tag } from '../types';
import type { Context } from './conditions';

// Building condition-key contexts: request-level keys shared by every resource of a request, and the
// per-resource tag keys. Keys are stored lower-cased (condition key names are case-insensitive).

export function ctxOf(entries: Record<string, string | string[] | undefined>): Context {
  const out: Context = {};
  for (const [k, v] of Object.entries(entries)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v : [v];
  }
  return out;
}

/** `<prefix>/<key>` for each tag, e.g. `aws:ResourceTag/Name` -> ['web'] */
export function tagContext(prefixes: string[], tags: readonly Tag[]): Context {
  const out: Context = {};
  for (const t of tags) for (const p of prefixes) out[`${p}/${t.Key}`.toLowerCase()] = [t.Value];
  return out;
}

/** aws:RequestTag/<k> and aws:TagKeys for tags sent in a request (none sent: neither key is present) */
export function requestTagContext(tags: readonly Tag[], prefix = 'aws'): Context {
  if (tags.length === 0) return {};
  return { ...tagContext([`${prefix}:RequestTag`], tags), [`${prefix}:tagkeys`]: tags.map((t) => t.Key) };
}

export function merge(...parts: Context[]): Context {
  return Object.assign({}, ...parts) as Context;
}
