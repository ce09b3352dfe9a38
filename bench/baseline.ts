import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../local/runner';

// An earlier revision of the project, checked out beside this one (a detached git worktree under .bench/, sharing
// this checkout's node_modules), so the benchmark can measure old and new in one run on one machine.

/** the last revision before each function got only its own clients (every bundle carried every SDK client) */
export const DEFAULT_BASELINE = 'fbd5cee';
/** the last revision before the waits checked inside their task (every poll was a NotReady retry) */
export const DEFAULT_PROVISION_BASELINE = 'a1d117a';

export interface Baseline {
  ref: string;
  root: string;
  remove(): void;
}

export function checkoutBaseline(ref: string): Baseline {
  const root = join(PROJECT_ROOT, '.bench', 'baseline');
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const remove = () => {
    try {
      git('worktree', 'remove', '--force', root);
    } catch {
      rmSync(root, { recursive: true, force: true });
      git('worktree', 'prune');
    }
  };
  if (existsSync(root)) remove();
  try {
    git('worktree', 'add', '--detach', root, ref);
  } catch (e) {
    throw new Error(
      `cannot check out the baseline ${ref} (${(e as Error).message.split('\n')[0]}); a shallow clone lacks it: --baseline none, or fetch it`,
    );
  }
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  return { ref, root, remove };
}
