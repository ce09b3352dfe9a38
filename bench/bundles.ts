import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT, readServerlessFunctions } from '../local/runner';

// Bundle size and cold-start import time per Lambda function: each handler bundled and minified the
// way serverless-esbuild does for the deployment (node22, CJS, minify, keepNames), then required in a
// fresh Node process (what a Lambda cold start pays before the first invocation).

export interface BundleFigure {
  function: string;
  bytes: number;
  coldStartMs: number;
}

function coldStartMs(file: string, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        `const t=performance.now();require(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t))`,
      ],
      { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
    ).toString();
    times.push(Number(out));
  }
  times.sort((a, b) => a - b);
  return Math.round((times[Math.floor(times.length / 2)] ?? 0) * 10) / 10;
}

export async function measureBundles(opts: { runs?: number; only?: string[] } = {}): Promise<BundleFigure[]> {
  const fns = readServerlessFunctions();
  const outdir = join(PROJECT_ROOT, '.bench', 'bundles');
  mkdirSync(outdir, { recursive: true });
  const entries = Object.entries(fns.handlers).filter(([k]) => !opts.only || opts.only.includes(k));
  const entryPoints = Object.fromEntries(
    entries.map(([key, handler]) => [key, join(PROJECT_ROOT, `${handler.slice(0, handler.lastIndexOf('.'))}.ts`)]),
  );
  await build({
    entryPoints,
    outdir,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    keepNames: true,
    logLevel: 'error',
  });
  return entries.map(([key]) => {
    const file = join(outdir, `${key}.js`);
    return { function: key, bytes: statSync(file).size, coldStartMs: coldStartMs(file, opts.runs ?? 3) };
  });
}
