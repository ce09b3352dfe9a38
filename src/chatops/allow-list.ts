// Who may use the chat commands: workspace (team_id), channel_id and user_id allow-lists from the environment,
// comma-separated. An empty or missing list denies everyone; '*' (explicitly) allows everyone. The commands that
// change a connection (`up`, `down`) need the user on a second list too, SLACK_ADMIN_USER_IDS.

export type AllowList = { kind: 'any' } | { kind: 'ids'; ids: ReadonlySet<string> };

export interface AllowLists {
  teams: AllowList;
  channels: AllowList;
  users: AllowList;
  /** who may run the commands that change a connection (`up`, `down`); missing = nobody */
  admins?: AllowList;
}

/** the verbs that change a connection: they need an admin */
export const ADMIN_VERBS: ReadonlySet<string> = new Set(['up', 'down', 'rotate']);

export function parseAllowList(value: string | undefined): AllowList {
  const ids = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.includes('*')) return { kind: 'any' };
  return { kind: 'ids', ids: new Set(ids) };
}

export function allowListsFromEnv(env: NodeJS.ProcessEnv = process.env): AllowLists {
  return {
    teams: parseAllowList(env.SLACK_ALLOWED_TEAM_IDS),
    channels: parseAllowList(env.SLACK_ALLOWED_CHANNEL_IDS),
    users: parseAllowList(env.SLACK_ALLOWED_USER_IDS),
    admins: parseAllowList(env.SLACK_ADMIN_USER_IDS),
  };
}

function allows(list: AllowList, id: string | undefined): boolean {
  if (list.kind === 'any') return true;
  return id !== undefined && id !== '' && list.ids.has(id);
}

export type AllowCheck = { ok: true } | { ok: false; denied: 'team' | 'channel' | 'user' };

export function checkAllowed(
  lists: AllowLists,
  who: { teamId?: string; channelId?: string; userId?: string },
): AllowCheck {
  if (!allows(lists.teams, who.teamId)) return { ok: false, denied: 'team' };
  if (!allows(lists.channels, who.channelId)) return { ok: false, denied: 'channel' };
  if (!allows(lists.users, who.userId)) return { ok: false, denied: 'user' };
  return { ok: true };
}

/** may this user run `verb`? Everyone allow-listed may read; `up`, `down` and `rotate` need the admin list as well */
export function mayRun(lists: AllowLists, verb: string, userId: string | undefined): boolean {
  if (!ADMIN_VERBS.has(verb)) return true;
  return allows(lists.admins ?? { kind: 'ids', ids: new Set() }, userId);
}
