import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { allStates, functionKeyOf, readServerlessFunctions, scaleDefinition } from '../../local/runner';
import { DEFINITIONS, render } from '../../scripts/statemachines';
import { RETRYABLE_ERRORS } from '../../src/errors';

// The state machine files are plain ASL, valid, up to date with their generator, and every Task calls a
// function serverless.yml declares (the contract between the ASL, the deployment and the local runner).

const files = Object.keys(DEFINITIONS);
const read = (f: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'statemachine', f), 'utf8')) as Record<string, unknown>;
const RETRYABLE: readonly string[] = RETRYABLE_ERRORS;

describe.each(files)('statemachine/%s', (file) => {
  const def = read(file);
  const tasks = allStates(def as never).filter(([, s]) => s.Type === 'Task');

  it('passes asl-validator with path and ARN checks', () => {
    const r = aslValidator(JSON.parse(JSON.stringify(def)), { checkPaths: true, checkArn: true });
    expect(r.errorsText('\n')).toBe('');
    expect(r.isValid).toBe(true);
  });

  it('is what scripts/statemachines.ts generates (run `npm run build:asl` after editing it)', () => {
    const make = DEFINITIONS[file];
    expect(make).toBeDefined();
    expect(readFileSync(join(__dirname, '..', '..', 'statemachine', file), 'utf8')).toBe(render(make ? make() : {}));
  });

  it('calls only functions that serverless.yml declares', () => {
    const declared = Object.keys(readServerlessFunctions().handlers);
    const called = tasks.map(([, s]) => functionKeyOf(String(s.Parameters?.FunctionName)));
    expect(called.length).toBeGreaterThan(0);
    expect(called.filter((k) => !declared.includes(k))).toEqual([]);
  });

  it('gives every Task a timeout and a retry on each retryable error name', () => {
    for (const [name, s] of tasks) {
      const t = s as { TimeoutSeconds?: number; Retry?: Array<{ ErrorEquals: string[]; MaxAttempts?: number }> };
      expect({ name, timeout: typeof t.TimeoutSeconds }).toEqual({ name, timeout: 'number' });
      const retried = (t.Retry ?? []).flatMap((r) => r.ErrorEquals);
      expect({ name, missing: RETRYABLE.filter((e) => !retried.includes(e)) }).toEqual({ name, missing: [] });
      for (const r of t.Retry ?? []) expect(r.MaxAttempts).toBeGreaterThan(0);
    }
  });

  it('passes only the connection name (never a key) to the steps', () => {
    for (const [name, s] of tasks) {
      const payload = (s.Parameters as { Payload?: Record<string, unknown> }).Payload ?? {};
      const keys = Object.keys(payload).map((k) => k.replace(/\.\$$/, ''));
      expect({
        name,
        extra: keys.filter(
          (k) =>
            ![
              'name',
              'spec',
              'request',
              'executionName',
              'error',
              'cause',
              'names',
              'repair',
              'check',
              'repaired',
              // a wait's check plan (functions/lib/poll.ts): constants of the definition
              'poll',
              // a plan tunnel id ('vpn-2/1') and WHICH recorded key to set: a literal below, never a value
              'tunnel',
              'key',
              // the VPN connection role the transit gateway routes move off ('vpn-1'): a literal below
              'avoid',
            ].includes(k),
        ),
      }).toEqual({ name, extra: [] });
      if ('key' in payload || 'key.$' in payload)
        expect({ name, key: payload.key }).toEqual({ name, key: expect.stringMatching(/^(next|previous)$/) });
      if ('avoid' in payload || 'avoid.$' in payload)
        expect({ name, avoid: payload.avoid }).toEqual({ name, avoid: 'vpn-1' });
    }
  });
});

describe('scaleDefinition', () => {
  it('divides Wait seconds and Retry intervals by the time scale and leaves Task timeouts alone', () => {
    // Prepare
    const def = {
      StartAt: 'W',
      TimeoutSeconds: 7200,
      States: {
        W: { Type: 'Wait', Seconds: 100, Next: 'P' },
        P: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'T',
              States: {
                T: {
                  Type: 'Task',
                  TimeoutSeconds: 120,
                  Retry: [{ ErrorEquals: ['NotReady'], IntervalSeconds: 10, MaxDelaySeconds: 30 }],
                  End: true,
                },
              },
            },
          ],
          End: true,
        },
      },
    };

    // Act
    const scaled = scaleDefinition(def, 100) as typeof def;

    // Assert
    expect(scaled.States.W.Seconds).toBe(1);
    const t = scaled.States.P.Branches[0]?.States.T;
    expect(t?.Retry[0]?.IntervalSeconds).toBeCloseTo(0.1);
    expect(t?.Retry[0]?.MaxDelaySeconds).toBeCloseTo(0.3);
    expect(t?.TimeoutSeconds).toBe(120);
    expect(def.States.W.Seconds).toBe(100);
  });

  it('maps a deployed FunctionName to its serverless function key', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Serverless variable as it stands in the ASL file
    expect(functionKeyOf('${self:service}-${sls:stage}-alibabaCreateGateway')).toBe('alibabaCreateGateway');
    expect(functionKeyOf('vpn-bridge-dev-finalize')).toBe('finalize');
  });
});

describe('statemachine/rotate.asl.json through a transit gateway', () => {
  const states = read('rotate.asl.json').States as Record<
    string,
    { Next?: string; Parameters?: { FunctionName?: string }; Catch?: Array<{ ErrorEquals: string[]; Next: string }> }
  >;
  const after = (name: string) => {
    // the Wait state of a wait leads to its Task: follow Next until a Task
    let n = states[name]?.Next;
    while (n && !states[n]?.Parameters) n = states[n]?.Next;
    return n;
  };

  it('moves the routes off the active connection between the two tunnels, and back before finishing', () => {
    // Act
    const path = ['StandbyWaitNextKeyUp', 'RotateSteerAway', 'ActiveWaitNextKeyUp', 'RotateSteerBack'].map(after);

    // Assert
    expect(path).toEqual(['RotateSteerAway', 'ActiveAlibabaSetNextKey', 'RotateSteerBack', 'RotateFinish']);
    for (const s of ['RotateSteerAway', 'RotateSteerBack', 'RotateFailedSteerBack'])
      expect(functionKeyOf(String(states[s]?.Parameters?.FunctionName))).toBe('awsSteerTgwRoutes');
    expect(after('ActiveWaitPreviousKeyUp')).toBe('RotateFailedSteerBack');
    expect(states.ActiveRollbackIncomplete?.Next).toBe('RotateFailedSteerBack');
    // a move that failed for any reason is reported as SteerRefused (the active tunnel was not touched)
    expect(states.RotateSteerAway?.Catch?.[0]?.Next).toBe('RotateSteerAwayFailed');
    expect(states.RotateSteerAwayFailed?.Next).toBe('RotateFailedSteerBack');
    expect((states.RotateSteerAwayFailed as { Parameters?: { Error?: string } } | undefined)?.Parameters?.Error).toBe(
      'SteerRefused',
    );
  });

  it('ends at once when a wait finds the lock taken over (no rollback)', () => {
    // Act
    const waits = Object.entries(states).filter(
      ([, s]) => functionKeyOf(String(s.Parameters?.FunctionName)) === 'waitTunnelKey',
    );

    // Assert
    expect(waits.length).toBe(4);
    for (const [name, s] of waits)
      expect({ name, first: s.Catch?.[0] }).toEqual({
        name,
        first: expect.objectContaining({ ErrorEquals: ['LockLost'], Next: 'RotationTakenOver' }),
      });
  });
});
