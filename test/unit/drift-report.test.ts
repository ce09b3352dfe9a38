import { driftChatText, driftExitCode, driftTable, driftText } from '../../src/drift/render';
import { mergeRecheck, repairTargets, reportOutput, sameDrift, summarise, toState } from '../../src/drift/report';
import type { ConnectionDrift, DriftRun } from '../../src/drift/types';
import type { DriftRow } from '../../src/registry/record';

// Summaries, the execution-state budget, the recheck merge and the human renderings of drift results.

function row(connection: string, extra: Partial<DriftRow> = {}): DriftRow {
  return {
    connection,
    cloud: 'aws',
    resource: 'route-table/rtb-1',
    attribute: 'route 192.168.0.0/16',
    expected: 'vgw-1',
    actual: '(none)',
    kind: 'MISSING',
    severity: 'high',
    repairable: true,
    repairStep: 'awsVpcRoute',
    ...extra,
  };
}

function result(name: string, rows: DriftRow[], changed = true): ConnectionDrift {
  return {
    name,
    status: rows.length === 0 ? 'clean' : 'drifted',
    rows,
    rowCount: rows.length,
    repairable: rows.filter((r) => r.repairable).length,
    changed,
  };
}

function run(results: ConnectionDrift[], unmanaged: DriftRow[] = []): DriftRun {
  return {
    at: '2024-01-01T00:00:00.000Z',
    results,
    unmanaged,
    summary: summarise(results, unmanaged),
    repaired: [],
    repairErrors: {},
  };
}

describe('sameDrift', () => {
  it('treats the same rows in another order, with other notes, as unchanged', () => {
    // Prepare
    const a = row('x');
    const b = row('x', { kind: 'DOWN', resource: 'tunnel/vpn-1/1', repairable: false, note: 'first' });

    // Act + Assert
    expect(
      sameDrift({ at: 't', clean: false, rows: [a, b] }, { clean: false, rows: [{ ...b, note: 'later' }, a] }),
    ).toBe(true);
    expect(sameDrift({ at: 't', clean: false, rows: [a] }, { clean: false, rows: [a, b] })).toBe(false);
    expect(sameDrift(undefined, { clean: true, rows: [] })).toBe(false);
    expect(sameDrift({ at: 't', clean: true, rows: [] }, { clean: true, rows: [] })).toBe(true);
  });
});

describe('repairTargets', () => {
  it('lists only drifted connections with repairable rows, with the steps their rows name', () => {
    // Prepare
    const results = [
      result('a', [row('a'), row('a', { repairStep: 'alibabaVpcRoute', cloud: 'alibaba' })]),
      result('b', [row('b', { kind: 'DOWN', repairable: false, repairStep: undefined })]),
      result('c', []),
    ];

    // Act
    const targets = repairTargets(results);

    // Assert
    expect(targets).toEqual([
      {
        name: 'a',
        fix: { awsVpcRoute: true, awsVpnConnectionRoute: false, alibabaVpnRoute: false, alibabaVpcRoute: true },
      },
    ]);
  });
});

describe('toState', () => {
  it('keeps clean unchanged connections out of state and rows within the budget', () => {
    // Prepare
    const r = run([result('a', [row('a')]), result('b', [], false), result('c', [], true)]);

    // Act
    const { state, overflow } = toState(r, { repair: true });

    // Assert
    expect(state.results.map((x) => [x.name, x.status, x.rows?.length])).toEqual([
      ['a', 'drifted', 1],
      ['c', 'clean', 0],
    ]);
    expect(state.summary).toEqual(expect.objectContaining({ connections: 3, clean: 2, drifted: 1, rows: 1 }));
    expect(state.repairNames).toEqual(['a']);
    expect(state.repairCount).toBe(1);
    expect(state.truncated).toBe(false);
    expect(overflow).toEqual([]);
  });

  it('leaves out what does not fit the budget and hands changed connections back to be written directly', () => {
    // Prepare
    const many = Array.from({ length: 40 }, (_, i) => result(`c${i}`, [row(`c${i}`)]));
    const r = run([...many, result('steady', [row('steady')], false)]);

    // Act
    const { state, overflow } = toState(r, { repair: false, budget: 2000 });

    // Assert
    const withRows = state.results.filter((x) => x.rows);
    expect(withRows.length).toBeGreaterThan(0);
    expect(withRows.length).toBeLessThan(41);
    expect(JSON.stringify(state.results).length).toBeLessThanOrEqual(2000 + state.results.length + 2);
    expect(state.truncated).toBe(true);
    const shown = new Set(withRows.map((x) => x.name));
    expect(overflow.map((x) => x.name)).toEqual(many.map((x) => x.name).filter((n) => !shown.has(n)));
    expect(state.results.filter((x) => !x.rows).every((x) => x.written === true || x.name === 'steady')).toBe(true);
    expect(state.repairNames).toEqual([]);
  });

  it('caps the repairs per execution and keeps every repair target in state, even past the budget', () => {
    // Prepare
    const many = Array.from({ length: 30 }, (_, i) => result(`r${String(i).padStart(2, '0')}`, [row(`r${i}`)]));

    // Act
    const { state } = toState(run(many), { repair: true, budget: 500, maxRepairs: 10 });

    // Assert
    expect(state.repairCount).toBe(10);
    expect(state.repairNames).toEqual(many.slice(0, 10).map((x) => x.name));
    const names = new Set(state.results.map((x) => x.name));
    expect(state.repairNames.every((n) => names.has(n))).toBe(true);
    expect(state.results.length).toBeLessThan(30);
  });
});

describe('toState for the recheck', () => {
  it('keeps an entry for every connection that is not clean, without rows once past the budget', () => {
    // Prepare
    const many = Array.from({ length: 20 }, (_, i) => result(`k${i}`, [row(`k${i}`)]));

    // Act
    const { state, overflow } = toState(run(many), { repair: false, budget: 600, keepAll: true });

    // Assert
    expect(state.results.map((x) => x.name)).toEqual(many.map((x) => x.name));
    expect(state.results.filter((x) => !x.rows).length).toBe(overflow.length);
    expect(overflow.length).toBeGreaterThan(0);
  });
});

describe('mergeRecheck', () => {
  it('replaces the repaired connections’ results and adjusts the summary', () => {
    // Prepare
    const down = row('a', { kind: 'DOWN', resource: 'tunnel/vpn-1/1', repairable: false, repairStep: undefined });
    const other = row('z', { kind: 'CHANGED', repairable: false, repairStep: undefined });
    const first = toState(run([result('a', [row('a'), down]), result('b', [row('b')]), result('z', [other])]), {
      repair: true,
    }).state;
    const again = toState(run([result('a', [down]), result('b', [], false)]), { repair: false }).state;

    // Act
    const merged = mergeRecheck(first, again);

    // Assert
    expect(first.repairNames).toEqual(['a', 'b']);
    expect(merged.results.map((x) => [x.name, x.status, x.rowCount])).toEqual([
      ['a', 'drifted', 1],
      ['z', 'drifted', 1],
    ]);
    expect(merged.summary).toEqual(
      expect.objectContaining({ connections: 3, clean: 1, drifted: 2, rows: 2, repairable: 0 }),
    );
  });
});

describe('reportOutput', () => {
  it('shows only connections that are not clean and counts the repairs', () => {
    // Prepare
    const state = toState(run([result('a', [row('a')]), result('c', [], true)]), { repair: true }).state;

    // Act
    const out = reportOutput(state, { written: 2, repaired: 1, repairErrors: {} });

    // Assert
    expect(out.results.map((x) => x.name)).toEqual(['a']);
    expect(out.summary.repaired).toBe(1);
    expect(out.written).toBe(2);
  });
});

describe('rendering', () => {
  it('gives exit code 0 clean, 2 drift (rows or unmanaged resources), 1 error', () => {
    // Prepare
    const clean = run([result('a', [], false)]);
    const drifted = run([result('a', [row('a')])]);
    const orphan = run([result('a', [], false)], [row('ghost', { kind: 'UNMANAGED', repairable: false })]);
    const failed = run([{ ...result('a', []), status: 'error', note: 'AccessDenied' }, result('b', [row('b')])]);

    // Act + Assert
    expect(driftExitCode(clean)).toBe(0);
    expect(driftExitCode(drifted)).toBe(2);
    expect(driftExitCode(orphan)).toBe(2);
    expect(driftExitCode(failed)).toBe(1);
  });

  it('renders a table with every row, most severe first, and a summary line', () => {
    // Prepare
    const r = run([
      result('a', [row('a'), row('a', { severity: 'critical', kind: 'CHANGED', attribute: 'tunnel 1 psk' })]),
    ]);

    // Act
    const text = driftText(r);
    const table = driftTable(r.results.flatMap((x) => x.rows));

    // Assert
    expect(text.split('\n')[0]).toBe('drift: 1 connection, 0 clean, 1 drifted (2 rows, 1 repairable)');
    expect(table.indexOf('tunnel 1 psk')).toBeLessThan(table.indexOf('route 192.168.0.0/16'));
    expect(table).toContain('repair');
  });

  it('keeps the chat text short: summary, the most severe rows, and how many more', () => {
    // Prepare
    const r = run(Array.from({ length: 5 }, (_, i) => result(`c${i}`, [row(`c${i}`)])));

    // Act
    const text = driftChatText(r, { maxRows: 3 });

    // Assert
    const lines = text.split('\n');
    expect(lines[0]).toBe(':warning: drift: 5 connections, 0 clean, 5 drifted (5 rows, 5 repairable)');
    expect(lines.slice(1, 4).every((l) => l.startsWith('• c') && l.endsWith('[repairable]'))).toBe(true);
    expect(lines[4]).toBe('… and 2 more');
    expect(lines).toHaveLength(5);
  });
});
