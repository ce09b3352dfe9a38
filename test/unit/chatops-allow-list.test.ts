import { allowListsFromEnv, checkAllowed, mayRun, parseAllowList } from '../../src/chatops/allow-list';

describe('allow-lists', () => {
  it('denies everyone when a list is empty or missing', () => {
    // Prepare
    const lists = allowListsFromEnv({
      SLACK_ALLOWED_TEAM_IDS: 'T1',
      SLACK_ALLOWED_CHANNEL_IDS: 'C1',
      SLACK_ALLOWED_USER_IDS: '',
    });

    // Act
    const r = checkAllowed(lists, { teamId: 'T1', channelId: 'C1', userId: 'U1' });

    // Assert
    expect(r).toEqual({ ok: false, denied: 'user' });
  });

  it('allows only listed ids, trimming spaces', () => {
    // Prepare
    const lists = allowListsFromEnv({
      SLACK_ALLOWED_TEAM_IDS: 'T1',
      SLACK_ALLOWED_CHANNEL_IDS: ' C1 , C2 ',
      SLACK_ALLOWED_USER_IDS: 'U1,U2',
    });

    // Assert
    expect(checkAllowed(lists, { teamId: 'T1', channelId: 'C2', userId: 'U2' })).toEqual({ ok: true });
    expect(checkAllowed(lists, { teamId: 'T9', channelId: 'C1', userId: 'U1' })).toEqual({ ok: false, denied: 'team' });
    expect(checkAllowed(lists, { teamId: 'T1', channelId: 'C3', userId: 'U1' })).toEqual({
      ok: false,
      denied: 'channel',
    });
    expect(checkAllowed(lists, { teamId: 'T1', channelId: 'C1', userId: undefined })).toEqual({
      ok: false,
      denied: 'user',
    });
  });

  it("allows everyone only for an explicit '*'", () => {
    // Assert
    expect(parseAllowList('*')).toEqual({ kind: 'any' });
    expect(parseAllowList('U1, *')).toEqual({ kind: 'any' });
    expect(parseAllowList(' , ')).toEqual({ kind: 'ids', ids: new Set() });
    expect(parseAllowList(undefined)).toEqual({ kind: 'ids', ids: new Set() });
  });

  it('lets only admins run up and down, and nobody when the admin list is empty or missing', () => {
    // Prepare
    const base = { SLACK_ALLOWED_TEAM_IDS: '*', SLACK_ALLOWED_CHANNEL_IDS: '*', SLACK_ALLOWED_USER_IDS: 'U1,U2' };
    const lists = allowListsFromEnv({ ...base, SLACK_ADMIN_USER_IDS: 'U1' });
    const none = allowListsFromEnv(base);

    // Assert
    expect(mayRun(lists, 'down', 'U1')).toBe(true);
    expect(mayRun(lists, 'up', 'U1')).toBe(true);
    expect(mayRun(lists, 'down', 'U2')).toBe(false);
    expect(mayRun(lists, 'up', 'U2')).toBe(false);
    expect(mayRun(lists, 'status', 'U2')).toBe(true);
    expect(mayRun(lists, 'drift', 'U2')).toBe(true);
    expect(mayRun(none, 'down', 'U1')).toBe(false);
    expect(mayRun(lists, 'down', undefined)).toBe(false);
  });
});
