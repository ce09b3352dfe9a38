import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Definition, loadDefinition, PROJECT_ROOT, validateDefinition, validatedMark } from '../../local/runner';

// The local runner validates every state machine with asl-validator (as packaging does) and remembers a definition
// that passed on disk, under the hash of its text: a changed definition is validated again, and one that fails is
// never remembered.

const CACHE = join(PROJECT_ROOT, '.vpn-bridge', 'cache', 'asl-validated');

function waitingMachine(seconds: number): Definition {
  return { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: seconds, End: true } } };
}

describe('state machine validation in the local runner', () => {
  it('remembers a valid definition under the hash of its text', () => {
    // Prepare
    const def = waitingMachine(1000 + Math.floor(Math.random() * 1e6));
    expect(existsSync(validatedMark(JSON.stringify(def)))).toBe(false);

    // Act
    validateDefinition(def);

    // Assert
    expect(existsSync(validatedMark(JSON.stringify(def)))).toBe(true);
  });

  it('refuses an invalid definition, however many valid ones were remembered', () => {
    // Prepare: the deployment's machines are valid (and remembered)
    validateDefinition(loadDefinition('provision.asl.json'));
    const bad = { StartAt: 'Missing', States: { W: { Type: 'Wait', Seconds: 1, End: true } } };

    // Act + Assert
    expect(() => validateDefinition(bad)).toThrow(/invalid state machine definition/);
    expect(() => validateDefinition(bad)).toThrow(/invalid state machine definition/);
    expect(existsSync(validatedMark(JSON.stringify(bad)))).toBe(false);
  });

  it('validates again when the remembered mark is gone', () => {
    // Prepare: remembered, then the cache wiped (a fresh checkout)
    const def = waitingMachine(2_000_000 + Math.floor(Math.random() * 1e6));
    validateDefinition(def);
    rmSync(CACHE, { recursive: true, force: true });

    // Act: a copy with the same text in a fresh module instance validates and is remembered again
    jest.isolateModules(() => {
      const fresh = require('../../local/runner') as typeof import('../../local/runner');
      fresh.validateDefinition(structuredClone(def));
    });

    // Assert
    expect(existsSync(validatedMark(JSON.stringify(def)))).toBe(true);
  });
});
