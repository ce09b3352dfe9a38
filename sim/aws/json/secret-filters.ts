import type { Secret } from '../../types';
import type { JsonParams } from './protocol';

// ListSecrets / BatchGetSecretValue filters (docs/sources.md#aws-aws; SDK `Filter` doc):
//   name          prefix, case-sensitive
//   description   prefix, not case-sensitive
//   tag-key       prefix, case-sensitive (any tag key)
//   tag-value     prefix, case-sensitive (any tag value)
//   primary-region, owning-service   never match here (no replicas, no service-owned secrets)
//   all           the value is broken into words; a secret matches when one of them starts a word of its
//                 name, description, tag keys or tag values; not case-sensitive
// Values of one filter are OR-ed, filters are AND-ed. A value starting with `!` negates: the secret matches
// only if that value matches none of its attributes (unconfirmed for multi-valued attributes such as tags).

export const FILTER_KEYS = ['description', 'name', 'tag-key', 'tag-value', 'primary-region', 'owning-service', 'all'];
const VALUE_RE = /^!?[a-zA-Z0-9 :_@/+=.\-!]*$/;

export interface SecretFilter {
  key: string;
  values: string[];
}

export function parseFilters(p: JsonParams, member: string): SecretFilter[] {
  const raw = p.objList(member) ?? [];
  if (raw.length > 10) throw p.invalid(`${member} can hold at most 10 filters.`);
  return raw.map((f) => {
    const fp = p.child(f);
    const key = fp.str('Key');
    if (key === undefined || !FILTER_KEYS.includes(key))
      throw p.invalid(`Invalid filter key ${key ?? '(none)'}; valid keys: ${FILTER_KEYS.join(', ')}.`);
    const values = fp.strList('Values') ?? [];
    if (values.length < 1 || values.length > 10) throw p.invalid(`Filter ${key} needs 1-10 values.`);
    for (const v of values) {
      if (v.length > 512 || !VALUE_RE.test(v)) throw p.invalid(`Invalid filter value ${JSON.stringify(v)}.`);
    }
    return { key, values };
  });
}

/** words as the search splits them: case changes, letter/digit changes, punctuation */
export function words(s: string): string[] {
  return (s.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? []).map((w) => w.toLowerCase());
}

function attributes(secret: Secret, key: string): string[] {
  switch (key) {
    case 'name':
      return [secret.Name];
    case 'description':
      return secret.Description ? [secret.Description] : [];
    case 'tag-key':
      return secret.Tags.map((t) => t.Key);
    case 'tag-value':
      return secret.Tags.map((t) => t.Value);
    case 'all':
      return [
        secret.Name,
        ...(secret.Description ? [secret.Description] : []),
        ...secret.Tags.flatMap((t) => [t.Key, t.Value]),
      ];
    default:
      return [];
  }
}

function matchesValue(key: string, value: string, attrs: string[]): boolean {
  if (key === 'all') {
    const attrWords = attrs.flatMap(words);
    return words(value).some((w) => attrWords.some((a) => a.startsWith(w)));
  }
  if (key === 'description') return attrs.some((a) => a.toLowerCase().startsWith(value.toLowerCase()));
  return attrs.some((a) => a.startsWith(value));
}

function matchesFilter(secret: Secret, f: SecretFilter): boolean {
  const attrs = attributes(secret, f.key);
  const positive = f.values.filter((v) => !v.startsWith('!'));
  const negative = f.values.filter((v) => v.startsWith('!')).map((v) => v.slice(1));
  const anyPositive = positive.length === 0 || positive.some((v) => matchesValue(f.key, v, attrs));
  return anyPositive && negative.every((v) => !matchesValue(f.key, v, attrs));
}

export function filterSecrets(secrets: Secret[], filters: SecretFilter[]): Secret[] {
  return secrets.filter((s) => filters.every((f) => matchesFilter(s, f)));
}
