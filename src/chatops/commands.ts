import { CONNECTION_NAME } from '../spec/name';

// `/vpn help|list|status <name>|up <name>|drift [name]|down <name> [confirm <name>]|rotate <name> [confirm <name>]` (README.md,
// docs/sources.md#the-article-and-the-interoperability-guides-interop). Parsing is strict: a verb from the list, connection names by the spec's own rule, nothing
// else. Text a user typed is never executed and is echoed only through `quote()`.

export type ChatCommand =
  | { verb: 'help' }
  | { verb: 'list' }
  | { verb: 'status'; name: string }
  | { verb: 'up'; name: string }
  | { verb: 'drift'; name?: string }
  | { verb: 'down'; name: string; confirmed: boolean }
  | { verb: 'rotate'; name: string; confirmed: boolean };

export type ParsedCommand = { ok: true; command: ChatCommand } | { ok: false; error: string };

export const VERBS = ['help', 'list', 'status', 'up', 'drift', 'down', 'rotate'] as const;
const MAX_TEXT = 300;

export const USAGE = [
  '`/vpn help` this list',
  '`/vpn list` every managed connection and its status',
  '`/vpn status <name>` status and per-tunnel health (role, UP/DOWN) on both clouds',
  '`/vpn up <name>` re-run provisioning from the stored spec (repairs what is missing)',
  '`/vpn drift [name]` check one connection (or all) against what should exist; results are posted when done',
  '`/vpn down <name> confirm <name>` tear the connection down (asks for confirmation first)',
  '`/vpn rotate <name> confirm <name>` new pre-shared keys, one tunnel at a time with no downtime (asks for confirmation first)',
];

/** user text shown back, made inert: no Slack control characters (<, >, &, backticks), short, one line */
export function quote(text: string, max = 40): string {
  const flat = text
    .replace(/\p{Cc}/gu, ' ')
    .replace(/[<>&`*_~|]/g, '?')
    .trim();
  const cut = flat.length > max ? `${flat.slice(0, max)}...` : flat;
  return `\`${cut}\``;
}

function nameError(verb: string, given: string | undefined): string {
  if (given === undefined) return `\`/vpn ${verb}\` needs a connection name, e.g. \`/vpn ${verb} gdn-china\``;
  return `${quote(given)} is not a connection name (3-40 characters: a lowercase letter, then lowercase letters, digits or hyphens)`;
}

function exactly(words: string[], n: number, verb: string): string | undefined {
  return words.length > n ? `too many words for \`/vpn ${verb}\`: ${quote(words.slice(n).join(' '))}` : undefined;
}

/** parse the text after the slash command */
export function parseCommandText(text: string | undefined): ParsedCommand {
  const raw = (text ?? '').trim();
  if (raw.length > MAX_TEXT) return { ok: false, error: `the command is too long (${raw.length} characters)` };
  const words = raw.split(/\s+/).filter(Boolean);
  const verb = (words[0] ?? 'help').toLowerCase();
  const name = words[1];
  const validName = name !== undefined && CONNECTION_NAME.test(name);
  switch (verb) {
    case 'help':
    case 'list': {
      const extra = exactly(words, 1, verb);
      return extra ? { ok: false, error: extra } : { ok: true, command: { verb } };
    }
    case 'status':
    case 'up': {
      if (!validName) return { ok: false, error: nameError(verb, name) };
      const extra = exactly(words, 2, verb);
      return extra ? { ok: false, error: extra } : { ok: true, command: { verb, name } };
    }
    case 'drift': {
      if (name === undefined) return { ok: true, command: { verb } };
      if (!validName) return { ok: false, error: nameError(verb, name) };
      const extra = exactly(words, 2, verb);
      return extra ? { ok: false, error: extra } : { ok: true, command: { verb, name } };
    }
    case 'down':
    case 'rotate': {
      if (!validName) return { ok: false, error: nameError(verb, name) };
      if (words.length === 2) return { ok: true, command: { verb, name, confirmed: false } };
      const [, , keyword, again] = words;
      if (keyword?.toLowerCase() !== 'confirm' || words.length !== 4)
        return { ok: false, error: `to confirm, type exactly \`/vpn ${verb} ${name} confirm ${name}\`` };
      if (again !== name)
        return {
          ok: false,
          error: `the confirmation ${quote(again ?? '')} does not match ${quote(name)}; nothing was done`,
        };
      return { ok: true, command: { verb, name, confirmed: true } };
    }
    default:
      return { ok: false, error: `unknown command ${quote(verb, 20)}` };
  }
}

/**
 * A direct invocation (Amazon Q Developer in chat custom action / AWS Chatbot): `{"command": "status",
 * "name": "x"}`; `down` and `rotate` need `"confirm": "<name>"`. Parsed by the same rules as the slash command.
 */
export function parseInvocation(event: unknown): ParsedCommand {
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    return { ok: false, error: 'expected {"command": "...", "name": "..."}' };
  const e = event as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const command = str(e.command);
  if (!command) return { ok: false, error: 'expected {"command": "...", "name": "..."}' };
  if (e.name !== undefined && typeof e.name !== 'string') return { ok: false, error: '"name" must be a string' };
  if (e.confirm !== undefined && typeof e.confirm !== 'string')
    return { ok: false, error: '"confirm" must be a string' };
  // each part must be a single word, so fields cannot smuggle extra words into the command
  const parts = [command, str(e.name), ...(str(e.confirm) !== undefined ? ['confirm', str(e.confirm)] : [])];
  if (parts.some((p) => p !== undefined && (p === '' || /\s/.test(p))))
    return { ok: false, error: 'command, name and confirm must be single words' };
  return parseCommandText(parts.filter((p): p is string => p !== undefined).join(' '));
}
