import type { ConnectionRecord, DriftRow, RepairStep } from '../registry/record';
import { rowKey } from './normalise';
import type {
  ConnectionDrift,
  DriftCheckState,
  DriftReportOutput,
  DriftRun,
  DriftSummary,
  RepairTarget,
  StateResult,
} from './types';

// Summaries, state budgets and merges of drift results. Pure.

/** whether a new result equals the record's lastDrift (clean flag + the set of rows; notes ignored) */
export function sameDrift(
  prev: ConnectionRecord['lastDrift'] | undefined,
  next: { clean: boolean; rows: DriftRow[] },
): boolean {
  if (!prev || prev.clean !== next.clean || prev.rows.length !== next.rows.length) return false;
  const a = prev.rows.map(rowKey).sort();
  const b = next.rows.map(rowKey).sort();
  return a.every((k, i) => k === b[i]);
}

export function summarise(results: ConnectionDrift[], unmanaged: DriftRow[], repaired = 0): DriftSummary {
  const count = (s: ConnectionDrift['status']) => results.filter((r) => r.status === s).length;
  return {
    connections: results.length,
    clean: count('clean'),
    drifted: count('drifted'),
    skipped: count('skipped'),
    errors: count('error'),
    rows: results.reduce((n, r) => n + r.rowCount, 0) + unmanaged.length,
    repairable: results.filter((r) => r.repairable > 0).length,
    unmanaged: unmanaged.length,
    repaired,
  };
}

const STEPS: readonly RepairStep[] = ['awsVpcRoute', 'awsVpnConnectionRoute', 'alibabaVpnRoute', 'alibabaVpcRoute'];

/** connections with repairable rows, and which route-owning steps each needs */
export function repairTargets(results: Array<{ name: string; status: string; rows?: DriftRow[] }>): RepairTarget[] {
  const out: RepairTarget[] = [];
  for (const r of results) {
    if (r.status !== 'drifted') continue;
    const steps = new Set((r.rows ?? []).filter((x) => x.repairable && x.repairStep).map((x) => x.repairStep));
    if (steps.size === 0) continue;
    const fix = Object.fromEntries(STEPS.map((s) => [s, steps.has(s)])) as Record<RepairStep, boolean>;
    out.push({ name: r.name, fix });
  }
  return out;
}

/**
 * Execution state is limited to 256 KiB (docs/sources.md#aws-aws) and the drift tasks' state adds up (check + recheck +
 * repair items): the check's results get ~100 KB, the recheck's ~60 KB, unmanaged rows 100 rows, and one
 * execution repairs at most 25 connections (the next run takes the rest).
 */
export const STATE_BUDGET = 100_000;
export const RECHECK_BUDGET = 60_000;
export const STATE_UNMANAGED_CAP = 100;
export const MAX_REPAIRS = 25;

/**
 * The run as execution state. Results: every connection that is not clean plus clean ones whose record needs a
 * write (clean unchanged ones are only counted), repair targets first, with rows while the budget lasts, then
 * without rows, then not at all. `overflow` lists the changed connections whose rows did not make it: the caller
 * writes their lastDrift itself, and they are marked `written`.
 */
export function toState(
  run: DriftRun,
  opts: {
    repair: boolean;
    budget?: number;
    unmanagedCap?: number;
    maxRepairs?: number;
    /** never drop an entry, only rows (the recheck: its absence would read as clean) */
    keepAll?: boolean;
  },
): { state: DriftCheckState; overflow: ConnectionDrift[] } {
  const budget = opts.budget ?? STATE_BUDGET;
  const cap = opts.unmanagedCap ?? STATE_UNMANAGED_CAP;
  const targets = opts.repair ? repairTargets(run.results).slice(0, opts.maxRepairs ?? MAX_REPAIRS) : [];
  const targeted = new Set(targets.map((t) => t.name));
  const rank = (r: ConnectionDrift) => (targeted.has(r.name) ? 0 : r.status === 'clean' ? 2 : 1);
  const wanted = run.results.filter((r) => r.status !== 'clean' || r.changed).sort((a, b) => rank(a) - rank(b));
  let used = 0;
  let truncated = false;
  const overflow: ConnectionDrift[] = [];
  const results: StateResult[] = [];
  for (const r of wanted) {
    const base: StateResult = {
      name: r.name,
      status: r.status,
      ...(r.note ? { note: r.note } : {}),
      rowCount: r.rowCount,
      repairable: r.repairable,
      changed: r.changed,
    };
    const full: StateResult = { ...base, rows: r.rows };
    const fullSize = JSON.stringify(full).length;
    if (used + fullSize <= budget) {
      used += fullSize;
      results.push(full);
      continue;
    }
    truncated = true;
    if (r.changed) overflow.push(r);
    const slim: StateResult = r.changed ? { ...base, written: true } : base;
    const slimSize = JSON.stringify(slim).length;
    // repair targets always stay (the recheck replaces them by name); others only while the budget lasts
    if (opts.keepAll || targeted.has(r.name) || used + slimSize <= budget) {
      used += slimSize;
      results.push(slim);
    }
  }
  const unmanaged = run.unmanaged.slice(0, cap);
  return {
    state: {
      at: run.at,
      repair: opts.repair,
      repairCount: targets.length,
      repairNames: targets.map((t) => t.name),
      repairTargets: targets,
      summary: run.summary,
      results,
      unmanaged,
      truncated: truncated || run.unmanaged.length > cap,
    },
    overflow,
  };
}

/** the recheck after a repair replaces the results of the names it covered */
export function mergeRecheck(check: DriftCheckState, recheck: DriftCheckState | undefined): DriftCheckState {
  if (!recheck) return check;
  const covered = new Set(check.repairNames);
  const fresh = new Map(recheck.results.map((r) => [r.name, r]));
  const summary = { ...check.summary };
  const results: StateResult[] = [];
  for (const old of check.results) {
    if (!covered.has(old.name)) {
      results.push(old);
      continue;
    }
    // absent from the recheck = clean and equal to the record: nothing to show, nothing to write
    const now = fresh.get(old.name);
    summary.rows += (now?.rowCount ?? 0) - old.rowCount;
    summary.repairable += ((now?.repairable ?? 0) > 0 ? 1 : 0) - (old.repairable > 0 ? 1 : 0);
    const was = old.status;
    const is = now?.status ?? 'clean';
    if (was !== is) {
      const key = (s: StateResult['status']) =>
        s === 'clean' ? 'clean' : s === 'drifted' ? 'drifted' : s === 'skipped' ? 'skipped' : 'errors';
      summary[key(was)] -= 1;
      summary[key(is)] += 1;
    }
    if (now) results.push(now);
  }
  return {
    ...check,
    summary,
    results,
    truncated: check.truncated || recheck.truncated,
  };
}

/** the execution output: no clean entries, no secrets (rows never hold a PSK) */
export function reportOutput(
  check: DriftCheckState,
  opts: { written: number; repaired: number; repairErrors: Record<string, string> },
): DriftReportOutput {
  return {
    at: check.at,
    summary: { ...check.summary, repaired: opts.repaired },
    results: check.results.filter((r) => r.status !== 'clean'),
    unmanaged: check.unmanaged,
    truncated: check.truncated,
    written: opts.written,
    repairErrors: opts.repairErrors,
  };
}

/** a full run with the recheck of some names (after a repair) folded in */
export function mergeRun(
  run: DriftRun,
  recheck: DriftRun,
  repaired: string[],
  repairErrors: Record<string, string>,
): DriftRun {
  const fresh = new Map(recheck.results.map((r) => [r.name, r]));
  const results = run.results.map((r) => fresh.get(r.name) ?? r);
  return {
    ...run,
    results,
    summary: summarise(results, run.unmanaged, repaired.length),
    repaired,
    repairErrors,
  };
}
