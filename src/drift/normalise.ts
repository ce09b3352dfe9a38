// Normalise provider read-backs before comparing (docs/sources.md#the-article-and-the-interoperability-guides-interop), so a freshly provisioned connection
// shows no drift: Alibaba reads numbers and booleans back as strings ('28800', 'true'), lists come in any
// order, unset values come back empty, and PSKs may be masked. Pure.

export const UNSET = '(unset)';
export const NONE = '(none)';

/** scalar -> comparable text: '' / undefined -> (unset); numeric strings lose leading zeros; booleans lower-case */
export function normScalar(value: unknown): string {
  if (value === undefined || value === null || value === '') return UNSET;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  const text = String(value).trim();
  if (text === '') return UNSET;
  if (/^\d+$/.test(text)) return String(Number(text));
  if (/^(true|false)$/i.test(text)) return text.toLowerCase();
  return text;
}

/** a list (or a comma-separated string such as Alibaba LocalSubnet) -> sorted, de-duplicated, comma-joined */
export function normList(value: ReadonlyArray<string | number> | string | undefined): string {
  const items = (typeof value === 'string' ? value.split(',') : (value ?? []))
    .map((v) => String(v).trim())
    .filter(Boolean);
  if (items.length === 0) return UNSET;
  return [...new Set(items)].sort().join(',');
}

/**
 * A PSK the provider does not disclose: Alibaba answers empty or asterisks (docs/sources.md#alibaba-cloud-alibaba; terraform-provider-alicloud
 * #10523), AWS may answer REDACTED. Unreadable is not drift.
 */
export function pskUnreadable(value: string | undefined): boolean {
  if (value === undefined) return true;
  const v = value.trim();
  return v === '' || /^\*+$/.test(v) || v.toUpperCase() === 'REDACTED';
}

/** rows compare as a set: a stable key per row that ignores the free-text note */
export function rowKey(r: {
  connection: string;
  cloud: string;
  resource: string;
  attribute: string;
  expected: string;
  actual: string;
  kind: string;
  severity: string;
  repairable: boolean;
}): string {
  return JSON.stringify([
    r.connection,
    r.cloud,
    r.resource,
    r.attribute,
    r.expected,
    r.actual,
    r.kind,
    r.severity,
    r.repairable,
  ]);
}
