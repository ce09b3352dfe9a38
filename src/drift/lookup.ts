// Lookups into the region-wide lists a drift check reads once (route tables with a route per connection, every
// customer gateway of a region): each list is indexed once per key, on first use, so checking N connections
// against them costs linear time instead of N scans. The lists are snapshots: nothing changes them once read.

const indexes = new WeakMap<readonly unknown[], Map<string, Map<string, unknown[]>>>();

/** the items of `list` whose `keyOf` is `key`, in list order (`index` names the key function) */
export function lookup<T>(list: readonly T[], index: string, keyOf: (x: T) => string | undefined, key: string): T[] {
  let byIndex = indexes.get(list);
  if (!byIndex) {
    byIndex = new Map();
    indexes.set(list, byIndex);
  }
  let m = byIndex.get(index) as Map<string, T[]> | undefined;
  if (!m) {
    m = new Map();
    for (const x of list) {
      const k = keyOf(x);
      if (k === undefined) continue;
      const items = m.get(k);
      if (items) items.push(x);
      else m.set(k, [x]);
    }
    byIndex.set(index, m as Map<string, unknown[]>);
  }
  return m.get(key) ?? [];
}
