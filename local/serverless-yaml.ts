import { readFileSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

// serverless.yml, parsed once per process and file version: the local runner (functions and routes), the IAM roles
// the simulator enforces and the state machines' names all read it, several times per operation. The document is
// frozen: a caller that needs to change it copies it first.

const cache = new Map<string, { stamp: string; doc: unknown }>();

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v as Record<string, unknown>)) deepFreeze(x);
  }
  return v;
}

/** the YAML document at `file` (YAML merge keys resolved), re-read when the file changed */
export function readServerlessYaml(file: string): unknown {
  const st = statSync(file);
  const stamp = `${st.mtimeMs}:${st.size}`;
  const hit = cache.get(file);
  if (hit?.stamp === stamp) return hit.doc;
  const doc = deepFreeze(parseYaml(readFileSync(file, 'utf8'), { merge: true, maxAliasCount: 1000 }) as unknown);
  cache.set(file, { stamp, doc });
  return doc;
}
