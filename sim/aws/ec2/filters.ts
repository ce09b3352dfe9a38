import type { Tag } from '../../types';
import { bad } from './errors';
import type { Params } from './params';

// `Filter.N.Name` / `Filter.N.Value.M` on Describe calls: values are OR-ed within one filter, filters are
// AND-ed, `*` and `?` are wildcards (as EC2 documents). `tag:<key>` and `tag-key` come for free for
// tagged resources. An unknown filter name is rejected, as the real service does.

export interface Filter {
  name: string;
  values: string[];
}

/** what a filter name reads from one object (any returned value may match) */
export type FilterSpec<T> = Record<string, (o: T) => ReadonlyArray<string | number | boolean | undefined>>;

export function parseFilters(p: Params): Filter[] {
  return p.members('Filter').map(({ params }) => ({ name: params.required('Name'), values: params.list('Value') }));
}

function matcher(pattern: string): (v: string) => boolean {
  if (!/[*?]/.test(pattern)) return (v) => v === pattern;
  const re = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
      .join('')}$`,
    's',
  );
  return (v) => re.test(v);
}

export function applyFilters<T>(objects: T[], filters: Filter[], spec: FilterSpec<T>, tagsOf?: (o: T) => Tag[]): T[] {
  const tests = filters.map((f) => {
    let read: (o: T) => ReadonlyArray<string | number | boolean | undefined>;
    if (tagsOf && f.name.startsWith('tag:')) {
      const key = f.name.slice(4);
      read = (o) =>
        tagsOf(o)
          .filter((t) => t.Key === key)
          .map((t) => t.Value);
    } else if (tagsOf && f.name === 'tag-key') {
      read = (o) => tagsOf(o).map((t) => t.Key);
    } else {
      const r = spec[f.name];
      if (!r) throw bad(`The filter '${f.name}' is invalid`);
      read = r;
    }
    // A filter without values matches everything (the SDK does not serialize an empty Values list, and
    // EC2 then ignores the filter: the well-known "empty filter returns all" behaviour; unconfirmed).
    if (f.values.length === 0) return () => true;
    const matchers = f.values.map(matcher);
    return (o: T) =>
      read(o).some((v) => v !== undefined && matchers.some((m) => m(typeof v === 'string' ? v : String(v))));
  });
  return objects.filter((o) => tests.every((t) => t(o)));
}
