// Policy wildcards: `*` matches any run of characters (also none), `?` exactly one. IAM and RAM use the same
// two for Action and Resource values and for the *Like condition operators.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards

const cache = new Map<string, RegExp>();

function compile(pattern: string, ignoreCase: boolean): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}:${pattern}`;
  let re = cache.get(key);
  if (!re) {
    const body = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    if (cache.size > 5000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

/** true when `value` matches `pattern` (`*` and `?` wildcards) */
export function wildcardMatch(pattern: string, value: string, opts: { ignoreCase?: boolean } = {}): boolean {
  return compile(pattern, opts.ignoreCase === true).test(value);
}
