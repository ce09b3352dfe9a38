import { parseCommandText, parseInvocation, quote } from '../../src/chatops/commands';

// `/vpn ...` parsing: strict verbs and names; anything else is an explanation, never an action.

describe('parseCommandText', () => {
  it('parses every command', () => {
    // Assert
    expect(parseCommandText('')).toEqual({ ok: true, command: { verb: 'help' } });
    expect(parseCommandText('help')).toEqual({ ok: true, command: { verb: 'help' } });
    expect(parseCommandText('  LIST ')).toEqual({ ok: true, command: { verb: 'list' } });
    expect(parseCommandText('status gdn-china')).toEqual({ ok: true, command: { verb: 'status', name: 'gdn-china' } });
    expect(parseCommandText('up gdn-china')).toEqual({ ok: true, command: { verb: 'up', name: 'gdn-china' } });
    expect(parseCommandText('drift')).toEqual({ ok: true, command: { verb: 'drift' } });
    expect(parseCommandText('drift gdn-china')).toEqual({ ok: true, command: { verb: 'drift', name: 'gdn-china' } });
  });

  it('parses down as unconfirmed unless the name is repeated after confirm', () => {
    // Assert
    expect(parseCommandText('down gdn-china')).toEqual({
      ok: true,
      command: { verb: 'down', name: 'gdn-china', confirmed: false },
    });
    expect(parseCommandText('down gdn-china confirm gdn-china')).toEqual({
      ok: true,
      command: { verb: 'down', name: 'gdn-china', confirmed: true },
    });
    expect(parseCommandText('down gdn-china confirm other-one').ok).toBe(false);
    expect(parseCommandText('down gdn-china yes').ok).toBe(false);
    expect(parseCommandText('down gdn-china confirm').ok).toBe(false);
  });

  it('parses rotate as unconfirmed unless the name is repeated after confirm', () => {
    // Assert
    expect(parseCommandText('rotate gdn-china')).toEqual({
      ok: true,
      command: { verb: 'rotate', name: 'gdn-china', confirmed: false },
    });
    expect(parseCommandText('rotate gdn-china confirm gdn-china')).toEqual({
      ok: true,
      command: { verb: 'rotate', name: 'gdn-china', confirmed: true },
    });
    expect(parseCommandText('rotate gdn-china confirm other-one').ok).toBe(false);
    expect(parseCommandText('rotate gdn-china now')).toEqual({
      ok: false,
      error: 'to confirm, type exactly `/vpn rotate gdn-china confirm gdn-china`',
    });
    expect(parseCommandText('rotate').ok).toBe(false);
  });

  it('refuses injection-looking input without echoing it raw', () => {
    // Prepare
    const attempts = [
      'status gdn-china; rm -rf /',
      'status $(whoami)',
      'status `id`',
      'status <!channel>',
      'status gdn-china && down gdn-china confirm gdn-china',
      'down <@U123|x> confirm <@U123|x>',
      'status ../../etc/passwd',
      'status gdn-china\ndown gdn-china',
      `status ${'a'.repeat(500)}`,
      'deploy everything',
    ];

    // Act
    const results = attempts.map((t) => parseCommandText(t));

    // Assert
    for (const r of results) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        // no Slack control sequences, and user text cannot close the code span it is shown in
        expect(r.error).not.toMatch(/[<>]|`id`/);
        expect(r.error.length).toBeLessThan(200);
      }
    }
  });

  it('needs a name where the command takes one', () => {
    // Act
    const r = parseCommandText('status');

    // Assert
    expect(r).toEqual({ ok: false, error: expect.stringContaining('needs a connection name') });
  });
});

describe('quote', () => {
  it('makes user text inert for Slack and keeps it short', () => {
    // Act
    const q = quote('<!here> & `x`\u0007 *bold*', 40);

    // Assert
    expect(q).toBe('`?!here? ? ?x?  ?bold?`');
    expect(quote('a'.repeat(100), 10)).toBe('`aaaaaaaaaa...`');
  });
});

describe('parseInvocation (direct invoke / Amazon Q custom actions)', () => {
  it('parses a command with a name, and down only with a matching confirm', () => {
    // Assert
    expect(parseInvocation({ command: 'status', name: 'gdn-china' })).toEqual({
      ok: true,
      command: { verb: 'status', name: 'gdn-china' },
    });
    expect(parseInvocation({ command: 'down', name: 'gdn-china' })).toEqual({
      ok: true,
      command: { verb: 'down', name: 'gdn-china', confirmed: false },
    });
    expect(parseInvocation({ command: 'down', name: 'gdn-china', confirm: 'gdn-china' })).toEqual({
      ok: true,
      command: { verb: 'down', name: 'gdn-china', confirmed: true },
    });
  });

  it('refuses fields that try to carry extra words or other types', () => {
    // Assert
    expect(parseInvocation({ command: 'status gdn-china', name: 'x' }).ok).toBe(false);
    expect(parseInvocation({ command: 'down', name: 'gdn-china confirm gdn-china' }).ok).toBe(false);
    expect(parseInvocation({ command: 'status', name: ['gdn-china'] }).ok).toBe(false);
    expect(parseInvocation('status gdn-china').ok).toBe(false);
    expect(parseInvocation(null).ok).toBe(false);
  });
});
