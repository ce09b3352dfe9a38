import Table from 'cli-table3';

// Tables that fit the terminal and never cut an id: a table wider than the terminal is printed as one block of
// `column: value` lines per row instead (ids stay whole and copyable). Without a terminal (a pipe, a CI log) the
// width is COLUMNS when set, else unlimited.

export function terminalWidth(): number {
  const env = Number(process.env.COLUMNS);
  if (Number.isInteger(env) && env > 0) return env;
  return process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : Number.POSITIVE_INFINITY;
}

export function fitTable(head: string[], rows: string[][], width = terminalWidth()): string {
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const r of rows) t.push(r);
  const text = t.toString();
  const widest = Math.max(...text.split('\n').map((l) => l.length));
  if (widest <= width) return text;
  const label = Math.max(...head.map((h) => h.length));
  return rows.map((r) => r.map((v, i) => `${(head[i] ?? '').padEnd(label)}  ${v}`).join('\n')).join('\n\n');
}
