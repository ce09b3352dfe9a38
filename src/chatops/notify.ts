import type { DriftSummary, StateResult } from '../drift/types';
import { describeError } from '../errors';
import { logger, redactText } from '../log';
import type { ExecutionOperation } from '../plan/naming';
import type { ConnectionRecord } from '../registry/record';
import type { Registry } from '../registry/secrets-registry';
import { driftLines, type StateMachines } from '../service/connections';
import { type ExecutionDetail, type Executions, machineArnOfExecution } from '../service/executions';
import { causeText } from '../workflow/provision';
import { escapeMrkdwn } from './render';
import type { SlackMessage } from './slack';

// The message posted when a provisioning, teardown or drift-check execution finishes (EventBridge
// "Step Functions Execution Status Change" -> notify function -> Slack incoming webhook). Short: connection,
// operation, status, the error and its cause, for drift the findings. Secret values are masked (every
// record read here registers its PSKs with the redactor first).

export const TERMINAL = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

export interface ExecutionStatusEvent {
  source?: string;
  'detail-type'?: string;
  detail: {
    executionArn: string;
    stateMachineArn?: string;
    name?: string;
    status?: string;
    /** epoch ms */
    startDate?: number;
    stopDate?: number;
    input?: string;
    error?: string;
    cause?: string;
  };
}

/** the event EventBridge delivers, for a local caller that learns of a finished execution another way */
export function statusChangeEvent(
  executionArn: string,
  result: { status: string; error?: string; cause?: string },
): ExecutionStatusEvent {
  return {
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: {
      executionArn,
      stateMachineArn: machineArnOfExecution(executionArn),
      name: executionArn.slice(executionArn.lastIndexOf(':') + 1),
      status: result.status,
      stopDate: Date.now(),
      error: result.error,
      cause: result.cause,
    },
  };
}

export function isStatusEvent(e: unknown): e is ExecutionStatusEvent {
  const d = (e as { detail?: { executionArn?: unknown } } | null)?.detail;
  return typeof d === 'object' && d !== null && typeof d.executionArn === 'string';
}

export interface NotifyDeps {
  registry: Registry;
  executions: Executions;
  machines: StateMachines;
}

const OPS: ExecutionOperation[] = ['provision', 'teardown', 'drift', 'rotate'];
const ICON: Record<string, string> = {
  SUCCEEDED: ':white_check_mark:',
  FAILED: ':x:',
  TIMED_OUT: ':hourglass:',
  ABORTED: ':no_entry_sign:',
};
const MAX_CAUSE = 600;
const MAX_LIST = 5;

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function operationOf(
  machines: StateMachines,
  machineArn: string | undefined,
  input: Record<string, unknown> | undefined,
  name: string,
): ExecutionOperation | undefined {
  const byMachine = OPS.find((op) => machineArn !== undefined && machines[op] === machineArn);
  if (byMachine) return byMachine;
  if (input && typeof input.spec === 'object') return 'provision';
  if (input && (Array.isArray(input.names) || typeof input.repair === 'boolean')) return 'drift';
  if (input && typeof input.name === 'string') return 'teardown';
  return /-(provision|teardown|drift|rotate)-[0-9a-f-]+$/.exec(name)?.[1] as ExecutionOperation | undefined;
}

function connectionsOf(
  op: ExecutionOperation | undefined,
  input: Record<string, unknown> | undefined,
  name: string,
): string[] {
  const spec = input?.spec as { name?: unknown } | undefined;
  if (op === 'provision' && typeof spec?.name === 'string') return [spec.name];
  if ((op === 'teardown' || op === 'rotate') && typeof input?.name === 'string') return [input.name];
  if (op === 'drift' && Array.isArray(input?.names))
    return (input.names as unknown[]).filter((n): n is string => typeof n === 'string');
  const m = /^(.+)-(provision|teardown|drift)-[0-9a-f-]+$/.exec(name);
  return m?.[1] && !m[1].startsWith('_') ? [m[1]] : [];
}

async function recordsOf(registry: Registry, names: string[]): Promise<Map<string, ConnectionRecord>> {
  const out = new Map<string, ConnectionRecord>();
  try {
    if (names.length <= MAX_LIST) {
      for (const n of names) {
        const got = await registry.get(n);
        if (got) out.set(n, got.record);
      }
    } else {
      for (const r of await registry.list()) if (names.includes(r.name)) out.set(r.name, r);
    }
  } catch (e) {
    logger.warn('notify: records unavailable', { error: describeError(e).name });
  }
  return out;
}

function duration(start?: Date | number, stop?: Date | number): string {
  if (start === undefined || stop === undefined) return '';
  const s = Math.max(0, Math.round((new Date(stop).getTime() - new Date(start).getTime()) / 1000));
  return s >= 60 ? `, ${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `, ${s}s`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

/** the drift check's output (DriftReportOutput), read defensively: only the fields shown */
interface DriftOutput {
  summary?: Partial<DriftSummary>;
  results?: Array<Partial<StateResult>>;
  repairErrors?: Record<string, string>;
}

/** the per-connection results of a drift report, only where the output really has them */
function driftResults(output: Record<string, unknown> | undefined): Array<Partial<StateResult> & { name: string }> {
  const results = (output as DriftOutput | undefined)?.results;
  if (!Array.isArray(results)) return [];
  return results.filter(
    (r): r is Partial<StateResult> & { name: string } =>
      typeof r === 'object' && r !== null && typeof (r as { name?: unknown }).name === 'string',
  );
}

function driftReport(output: Record<string, unknown> | undefined, records: Map<string, ConnectionRecord>): string[] {
  const out = output as DriftOutput | undefined;
  const sum = out?.summary;
  if (!sum || typeof sum !== 'object') return ['no drift report in the execution output'];
  const n = (v: number | undefined) => v ?? 0;
  const extras = [
    n(sum.unmanaged) ? `${sum.unmanaged} unmanaged resources` : '',
    n(sum.repaired) ? `${sum.repaired} repaired` : '',
  ].filter(Boolean);
  const lines = [
    `${n(sum.connections)} checked: ${n(sum.clean)} clean, ${n(sum.drifted)} drifted, ${n(sum.skipped)} skipped, ${n(sum.errors)} errors${extras.length ? `; ${extras.join(', ')}` : ''}`,
  ];
  const notClean = driftResults(output).filter((r) => r.status !== 'clean');
  for (const r of notClean.slice(0, MAX_LIST * 2)) {
    const count = r.rowCount ?? r.rows?.length ?? 0;
    lines.push(
      `• ${r.name}: ${r.status ?? '?'}${count ? ` (${count} finding${count === 1 ? '' : 's'})` : ''}${r.note ? ` - ${r.note}` : ''}`,
    );
    const rows = Array.isArray(r.rows) ? r.rows : (records.get(r.name)?.lastDrift?.rows ?? []);
    lines.push(...driftLines(rows, MAX_LIST).map((l) => `    ${l}`));
  }
  if (notClean.length > MAX_LIST * 2) lines.push(`... and ${notClean.length - MAX_LIST * 2} more connections`);
  const repairErrors = typeof out?.repairErrors === 'object' && out.repairErrors !== null ? out.repairErrors : {};
  for (const [name, cause] of Object.entries(repairErrors))
    lines.push(`repair of ${name} failed: ${clip(String(cause), 200)}`);
  return lines;
}

/** what a finished execution says for the metrics (src/monitoring/operation-metrics.ts) */
export interface OperationFacts {
  operation: ExecutionOperation | 'unknown';
  status: string;
  /** from the execution's start to its stop, when both are known */
  durationMs?: number;
  /** a drift check that SUCCEEDED: connections drifted, used tunnels DOWN, and whether any result changed */
  drift?: { drifted: number; tunnelsDown: number; changed: boolean };
}

export interface ExecutionNotice {
  /** undefined when nothing is to be sent (`quiet` says why) */
  message?: SlackMessage;
  quiet?: string;
  facts: OperationFacts;
}

/** the DOWN rows (a used tunnel not up) of the reported connections, from the output or the records */
function tunnelsDown(output: Record<string, unknown> | undefined, records: Map<string, ConnectionRecord>): number {
  return driftResults(output)
    .flatMap((r) => (Array.isArray(r.rows) ? r.rows : (records.get(r.name)?.lastDrift?.rows ?? [])))
    .filter((row) => row.kind === 'DOWN').length;
}

/**
 * The schedule's check over every connection (no names, no repair) in which nothing changed: every connection's
 * result is the one its record already held (drift neither found nor cleared, no tunnel went down or came back), and
 * nothing failed. Such a run is not worth a message; any change, error or explicit request is.
 */
export function unchangedScheduledCheck(
  input: Record<string, unknown> | undefined,
  output: Record<string, unknown> | undefined,
): boolean {
  if (!input || Array.isArray(input.names) || input.repair === true) return false;
  const out = output as DriftOutput | undefined;
  if (!out?.summary || typeof out.summary !== 'object') return false;
  if ((out.summary.errors ?? 0) > 0 || Object.keys(out.repairErrors ?? {}).length > 0) return false;
  return !driftResults(output).some((r) => r.changed === true);
}

/** Slack Block Kit: the headline, the details, and the execution as context; `text` stays as the fallback */
function blocksOf(lines: string[], execName: string): unknown[] {
  const [head = '', ...rest] = lines;
  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text, 2900) } });
  return [
    section(head),
    ...(rest.length > 0 ? [section(rest.join('\n'))] : []),
    { type: 'context', elements: [{ type: 'mrkdwn', text: `vpn-bridge execution \`${escapeMrkdwn(execName)}\`` }] },
  ];
}

/** the notification for a finished execution; undefined while it is still running or when nothing changed */
export async function executionMessage(s: NotifyDeps, event: ExecutionStatusEvent): Promise<SlackMessage | undefined> {
  return (await executionNotice(s, event))?.message;
}

/** the notification and the facts of a finished execution; undefined while it is still running */
export async function executionNotice(
  s: NotifyDeps,
  event: ExecutionStatusEvent,
): Promise<ExecutionNotice | undefined> {
  const ev = event.detail;
  let d: ExecutionDetail | undefined;
  try {
    d = await s.executions.describe(ev.executionArn);
  } catch (e) {
    logger.warn('notify: DescribeExecution failed', { error: describeError(e).name });
  }
  // the event says how it ended even if a read right after it still sees RUNNING
  const terminal = (x: string | undefined) => (TERMINAL as readonly string[]).includes(x ?? '');
  const status = terminal(d?.status) ? d?.status : terminal(ev.status) ? ev.status : undefined;
  if (!status) return undefined;
  const execName = d?.name || ev.name || ev.executionArn.slice(ev.executionArn.lastIndexOf(':') + 1);
  const input = parseJson(d?.input ?? ev.input);
  const machineArn = d?.stateMachineArn || ev.stateMachineArn || machineArnOfExecution(ev.executionArn);
  const op = operationOf(s.machines, machineArn, input, execName);
  const output = parseJson(d?.output);
  const names = connectionsOf(op, input, execName);
  const reported = op === 'drift' ? driftResults(output).map((r) => r.name) : [];
  // reading the records registers their PSKs with the redactor before anything is rendered
  const records = await recordsOf(s.registry, [...names, ...reported]);
  const error = d?.error ?? ev.error;
  const cause = causeText(d?.cause ?? ev.cause);

  const who =
    op === 'drift' && input && !Array.isArray(input.names)
      ? 'every managed connection'
      : names.length === 0
        ? 'unknown connection'
        : names.length <= MAX_LIST
          ? names.join(', ')
          : `${names.length} connections`;
  const lines = [
    `${ICON[status] ?? ''} vpn-bridge ${op ?? 'execution'} of *${escapeMrkdwn(who)}*: ${status} (execution \`${escapeMrkdwn(execName)}\`${duration(d?.startDate ?? ev.startDate, d?.stopDate ?? ev.stopDate)})`,
  ];
  if (status !== 'SUCCEEDED' && (error || cause))
    lines.push(escapeMrkdwn(`${error ?? 'Error'}: ${clip(cause || '(no cause given)', MAX_CAUSE)}`));
  if (op === 'provision' && names[0]) {
    const r = records.get(names[0]);
    if (r) lines.push(escapeMrkdwn(`connection status: ${r.status}${r.topology ? ` (${r.topology})` : ''}`));
  }
  if (op === 'drift' && status === 'SUCCEEDED') lines.push(...driftReport(output, records).map(escapeMrkdwn));

  const start = d?.startDate ?? ev.startDate;
  const stop = d?.stopDate ?? ev.stopDate;
  const facts: OperationFacts = {
    operation: op ?? 'unknown',
    status,
    ...(start !== undefined && stop !== undefined
      ? { durationMs: Math.max(0, new Date(stop).getTime() - new Date(start).getTime()) }
      : {}),
  };
  if (op === 'drift' && status === 'SUCCEEDED') {
    const sum = (output as DriftOutput | undefined)?.summary;
    facts.drift = {
      drifted: sum?.drifted ?? 0,
      tunnelsDown: tunnelsDown(output, records),
      changed: driftResults(output).some((r) => r.changed === true),
    };
    if (unchangedScheduledCheck(input, output))
      return { facts, quiet: 'a scheduled drift check in which nothing changed' };
  }
  const redacted = lines.map(redactText);
  return { facts, message: { text: redacted.join('\n'), blocks: blocksOf(redacted, execName) } };
}
