// Parsing a connection spec from a value or from YAML/JSON text into either a typed spec or specific issues.
// Pure: no I/O, no clock.
import YAML from 'yaml';
import type { z } from 'zod';
import { isRfc1918, parseCidr } from '../net/cidr';
import { showValue } from '../plan/crypto';
import { type ConnectionSpec, ConnectionSpecSchema, SPEC_CIDR_RULES, SPEC_FIELDS, type SpecIssue } from './schema';

export type ParseSpecResult =
  | { ok: true; spec: ConnectionSpec; warnings: SpecIssue[] }
  | { ok: false; errors: SpecIssue[]; warnings: SpecIssue[] };

/** Largest accepted spec document, in bytes (UTF-8). */
export const MAX_SPEC_BYTES = 64 * 1024;
/** YAML alias expansions allowed while converting a document (a few anchors are fine; alias bombs are not). */
export const MAX_YAML_ALIAS_COUNT = 20;
/**
 * Deepest nesting accepted (a spec needs 4 levels). The YAML parser recurses once per level: a document a few
 * hundred levels deep overflows its stack, and repeated overflows can abort the whole Node process (V8: "RegExpCompiler
 * Allocation failed - process out of memory"), so such documents are refused before any parser sees them.
 */
export const MAX_SPEC_NESTING = 64;
const DOCUMENT = '(document)';

// ---------------------------------------------------------------------------------------------------------------
// Issue formatting

function joinPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = d[i];
      if (row) row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The known field the user most likely meant, if any is close enough. */
export function suggestField(unknown: string, known: readonly string[]): string | undefined {
  const lower = unknown.toLowerCase();
  const sameCase = known.find((k) => k.toLowerCase() === lower);
  if (sameCase) return sameCase;
  const limit = unknown.length <= 4 ? 1 : 2;
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = editDistance(lower, key.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { key, distance };
  }
  return best?.key;
}

function unknownKeyIssues(parent: readonly PropertyKey[], keys: readonly string[]): SpecIssue[] {
  const parentPath = joinPath(parent);
  const known = SPEC_FIELDS[parentPath] ?? [];
  return keys.map((key) => {
    const path = parentPath ? `${parentPath}.${key}` : key;
    const meant = suggestField(key, known);
    const hint = meant
      ? ` (did you mean '${meant}'?)`
      : known.length > 0
        ? ` (expected one of: ${known.join(', ')})`
        : '';
    return { path, message: `unknown field '${path}'${hint}`, severity: 'error' };
  });
}

function toIssues(issues: readonly z.core.$ZodIssue[]): SpecIssue[] {
  const out: SpecIssue[] = [];
  const seen = new Set<string>();
  const push = (issue: SpecIssue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(issue);
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const i of unknownKeyIssues(issue.path, issue.keys)) push(i);
      continue;
    }
    push({ path: joinPath(issue.path) || DOCUMENT, message: issue.message, severity: 'error' });
  }
  return out;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Per-parse fallback messages for issues the schema does not word itself (never zod's raw defaults). */
const fallbackError = (iss: z.core.$ZodRawIssue): string | undefined => {
  const input: unknown = iss.input;
  switch (iss.code) {
    case 'invalid_type':
      return input === undefined ? 'is required' : `must be ${article(String(iss.expected))}, got ${showValue(input)}`;
    case 'invalid_value':
      return `must be one of ${iss.values.map((v) => showValue(v)).join(', ')}, got ${showValue(input)}`;
    case 'too_small':
      return `is too small (minimum ${String(iss.minimum)}), got ${showValue(input)}`;
    case 'too_big':
      return `is too big (maximum ${String(iss.maximum)}), got ${showValue(input)}`;
    case 'invalid_format':
      return `has the wrong format, got ${showValue(input)}`;
    case 'unrecognized_keys':
      return `has unknown fields: ${iss.keys.join(', ')}`;
    default:
      return `is invalid, got ${showValue(input)}`;
  }
};

/** control characters as `\uXXXX`: text from the input (values, unknown keys) cannot forge lines or drive a terminal */
function inert(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One line per issue: `error: alibaba.cidr: overlaps aws.cidr 172.80.64.0/19: ...`. */
export function formatIssues(issues: readonly SpecIssue[]): string {
  return issues.map((i) => inert(`${i.severity}: ${i.path}: ${i.message}`)).join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Warnings (never block)

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function specWarnings(input: unknown): SpecIssue[] {
  const warnings: SpecIssue[] = [];
  if (!isRecord(input)) return warnings;
  for (const side of ['aws', 'alibaba'] as const) {
    const block = input[side];
    if (!isRecord(block)) continue;
    const listed: Array<[unknown, string]> = Array.isArray(block.cidrs)
      ? block.cidrs.map((c, i): [unknown, string] => [c, `${side}.cidrs[${i}]`])
      : [[block.cidr, `${side}.cidr`]];
    for (const [cidr, path] of listed) {
      if (typeof cidr !== 'string') continue;
      const parsed = parseCidr(cidr, SPEC_CIDR_RULES);
      if (parsed.ok && !isRfc1918(parsed.cidr.text)) {
        warnings.push({
          path,
          severity: 'warning',
          message: `${parsed.cidr.text} is not RFC 1918 private space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16): it works over the tunnel, but the public owners of that range become unreachable from the other VPC`,
        });
      }
    }
  }
  const tunnels = input.tunnels;
  if (isRecord(tunnels) && tunnels.profile === 'article-2018') {
    warnings.push({
      path: 'tunnels.profile',
      severity: 'warning',
      message:
        "article-2018 uses IKEv1, AES128, SHA1 and DH group 2, which current guidance (RFC 8247) rates weak; prefer 'recommended' unless a peer requires it",
    });
  }
  return warnings;
}

// ---------------------------------------------------------------------------------------------------------------
// Entry points

/** Validates an already-parsed value (e.g. an API request body). */
export function parseSpec(input: unknown): ParseSpecResult {
  const warnings = specWarnings(input);
  const result = ConnectionSpecSchema.safeParse(input, { error: fallbackError });
  if (result.success) return { ok: true, spec: result.data, warnings };
  return { ok: false, errors: toIssues(result.error.issues), warnings };
}

function documentError(message: string): ParseSpecResult {
  return { ok: false, errors: [{ path: DOCUMENT, message, severity: 'error' }], warnings: [] };
}

function lineColOfOffset(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, col: (lines[lines.length - 1] ?? '').length + 1 };
}

type TextParse = { ok: true; value: unknown } | { ok: false; result: ParseSpecResult };

function parseJsonText(text: string): TextParse {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    // V8 messages: "... in JSON at position 12 (line 2 column 3)", or `Unexpected token '}', "<text>" is not valid JSON`.
    const position = /at position (\d+)/.exec(raw);
    let where = '';
    if (position?.[1]) {
      const { line, col } = lineColOfOffset(text, Number(position[1]));
      where = ` at line ${line}, column ${col}`;
    } else {
      // Locate it with the YAML parser (JSON is YAML 1.2 flow syntax), which reports positions.
      const pos = YAML.parseDocument(text).errors[0]?.linePos?.[0];
      if (pos) where = ` at line ${pos.line}, column ${pos.col}`;
    }
    const reason = raw
      .replace(/,\s*".*" is not valid JSON$/s, '')
      .replace(/\s*in JSON at position \d+.*$/s, '')
      .trim();
    return { ok: false, result: documentError(`JSON syntax error${where}: ${reason}`) };
  }
}

function parseYamlText(text: string): TextParse {
  const doc = YAML.parseDocument(text, { uniqueKeys: true, merge: false, prettyErrors: true });
  if (doc.errors.length > 0) {
    const errors: SpecIssue[] = doc.errors.slice(0, 5).map((e) => {
      const pos = e.linePos?.[0];
      const first = (e.message.split('\n')[0] ?? '').replace(/\s+at line \d+, column \d+:?\s*$/, '');
      return {
        path: DOCUMENT,
        severity: 'error',
        message: pos
          ? `YAML syntax error at line ${pos.line}, column ${pos.col}: ${first}`
          : `YAML syntax error: ${first}`,
      };
    });
    return { ok: false, result: { ok: false, errors, warnings: [] } };
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT }) };
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      return {
        ok: false,
        result: documentError(
          `YAML aliases expand too much (at most ${MAX_YAML_ALIAS_COUNT} alias expansions; an alias bomb?): write the values out`,
        ),
      };
    }
    return { ok: false, result: documentError(`YAML error: ${err instanceof Error ? err.message : String(err)}`) };
  }
}

/**
 * An upper bound of a document's nesting depth, without parsing: per line, the indentation and leading block
 * indicators (`- `, `? `, `: `) plus the flow brackets still open. Brackets inside quoted strings count too; only
 * pathological documents come near the limit either way.
 */
function nestingBound(text: string): number {
  let open = 0;
  let max = 0;
  for (const line of text.split('\n')) {
    const lead = (/^[ \t]*(?:[-?:][ \t]+)*/.exec(line)?.[0] ?? '').length;
    max = Math.max(max, lead + open);
    for (const ch of line) {
      if (ch === '[' || ch === '{') max = Math.max(max, lead + ++open);
      else if ((ch === ']' || ch === '}') && open > 0) open--;
    }
  }
  return max;
}

/**
 * Parses spec text. 'auto' reads JSON when the text starts with '{' and is valid JSON, YAML otherwise.
 * Documents over 64 KiB, nested deeper than MAX_SPEC_NESTING, and YAML alias bombs are rejected before validation.
 */
export function parseSpecText(text: string, format: 'yaml' | 'json' | 'auto' = 'auto'): ParseSpecResult {
  if (typeof text !== 'string') return documentError(`must be text, got ${showValue(text)}`);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_SPEC_BYTES) {
    return documentError(`the document is ${bytes} bytes; the limit is ${MAX_SPEC_BYTES} bytes (64 KiB)`);
  }
  if (nestingBound(text) > MAX_SPEC_NESTING) {
    return documentError(
      `the document is nested too deeply (more than ${MAX_SPEC_NESTING} levels of indentation and brackets; a spec needs 4)`,
    );
  }
  let parsed: TextParse;
  if (format === 'json') parsed = parseJsonText(text);
  else if (format === 'yaml') parsed = parseYamlText(text);
  else {
    const json = /^\s*\{/.test(text) ? parseJsonText(text) : undefined;
    parsed = json?.ok ? json : parseYamlText(text);
  }
  return parsed.ok ? parseSpec(parsed.value) : parsed.result;
}
