import Table from 'cli-table3';
import type { DriftRow } from '../registry/record';
import type { ConnectionCheckStatus, DriftSummary } from './types';

// Drift reports for people: a plain-text table (CLI), a compact chat message, and the exit code convention
// of `terraform plan -detailed-exitcode` (docs/sources.md#the-article-and-the-interoperability-guides-interop): 0 clean, 2 drift, 1 error. Pure.

export interface RenderableDrift {
  summary: DriftSummary;
  results: Array<{ name: string; status: ConnectionCheckStatus; note?: string; rows?: DriftRow[]; rowCount: number }>;
  unmanaged: DriftRow[];
  truncated?: boolean;
}

export const EXIT_CLEAN = 0;
export const EXIT_ERROR = 1;
export const EXIT_DRIFT = 2;

export function driftExitCode(r: { summary: DriftSummary }): 0 | 1 | 2 {
  if (r.summary.errors > 0) return EXIT_ERROR;
  if (r.summary.drifted > 0 || r.summary.unmanaged > 0) return EXIT_DRIFT;
  return EXIT_CLEAN;
}

const SEVERITY_ORDER: Record<DriftRow['severity'], number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** most severe first, then by connection, cloud, resource, attribute */
export function sortRows(rows: DriftRow[]): DriftRow[] {
  return [...rows].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.connection.localeCompare(b.connection) ||
      a.cloud.localeCompare(b.cloud) ||
      a.resource.localeCompare(b.resource) ||
      a.attribute.localeCompare(b.attribute),
  );
}

function action(r: DriftRow): string {
  if (r.repairable) return 'repair';
  if (r.kind === 'DOWN') return 'investigate';
  if (r.kind === 'UNMANAGED') return 'delete?';
  return 'human';
}

export function driftTable(rows: DriftRow[]): string {
  const t = new Table({
    head: ['Connection', 'Cloud', 'Resource', 'Attribute', 'Expected', 'Actual', 'Kind', 'Severity', 'Action'],
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [null, null, 34, 34, 22, 22, null, null, null],
  });
  for (const r of sortRows(rows))
    t.push([r.connection, r.cloud, r.resource, r.attribute, r.expected, r.actual, r.kind, r.severity, action(r)]);
  return t.toString();
}

export function summaryLine(s: DriftSummary): string {
  const parts = [`${s.connections} connection${s.connections === 1 ? '' : 's'}`, `${s.clean} clean`];
  parts.push(`${s.drifted} drifted`);
  if (s.skipped) parts.push(`${s.skipped} skipped`);
  if (s.errors) parts.push(`${s.errors} failed to check`);
  const extra = [`${s.rows} row${s.rows === 1 ? '' : 's'}`];
  if (s.repairable) extra.push(`${s.repairable} repairable`);
  if (s.unmanaged) extra.push(`${s.unmanaged} unmanaged`);
  if (s.repaired) extra.push(`${s.repaired} repaired`);
  return `drift: ${parts.join(', ')} (${extra.join(', ')})`;
}

function allRows(r: RenderableDrift): DriftRow[] {
  return [...r.results.flatMap((x) => x.rows ?? []), ...r.unmanaged];
}

/** the CLI's report: a summary line, notes per connection, the table */
export function driftText(r: RenderableDrift): string {
  const lines = [summaryLine(r.summary)];
  for (const x of r.results) {
    if (x.status === 'skipped' || x.status === 'error')
      lines.push(`  ${x.name}: ${x.status}: ${x.note ?? ''}`.trimEnd());
    else if (x.rows === undefined && x.rowCount > 0)
      lines.push(`  ${x.name}: ${x.rowCount} rows (see the record's lastDrift)`);
  }
  const rows = allRows(r);
  if (rows.length > 0) lines.push(driftTable(rows));
  for (const row of sortRows(rows).filter((x) => x.kind === 'DOWN' && x.note))
    lines.push(`  ${row.connection} ${row.resource}: ${row.note}`);
  if (r.truncated) lines.push("  (some rows are not shown: each connection's record holds its full lastDrift)");
  return lines.join('\n');
}

/** a short message for chat: the summary and the most severe rows, one line each */
export function driftChatText(r: RenderableDrift, opts: { maxRows?: number } = {}): string {
  const max = opts.maxRows ?? 10;
  const code = driftExitCode(r);
  const icon = code === EXIT_CLEAN ? ':white_check_mark:' : code === EXIT_DRIFT ? ':warning:' : ':x:';
  const lines = [`${icon} ${summaryLine(r.summary)}`];
  const rows = sortRows(allRows(r));
  for (const x of rows.slice(0, max)) {
    const change = x.kind === 'MISSING' ? `missing (${x.expected})` : `${x.expected} -> ${x.actual}`;
    lines.push(
      `• ${x.connection} ${x.kind} ${x.severity}: ${x.cloud} ${x.resource} ${x.attribute}: ${change}${x.repairable ? ' [repairable]' : ''}`,
    );
  }
  if (rows.length > max) lines.push(`… and ${rows.length - max} more`);
  for (const x of r.results.filter((y) => y.status === 'error'))
    lines.push(`• ${x.name}: not checked: ${x.note ?? ''}`);
  return lines.join('\n');
}
