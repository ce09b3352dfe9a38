import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { parse as parseYaml } from 'yaml';
import { PROJECT_ROOT, readServerlessFunctions } from '../local/runner';

// Bundle size and cold-start import time per Lambda function: each handler bundled with the esbuild options
// serverless.yml gives serverless-esbuild for the deployment (custom.esbuild), then required in a fresh Node
// process (what a Lambda cold start pays before the first invocation). `root` may be another checkout of the
// project (the benchmark's baseline): its own serverless.yml and handlers are used.

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

/** the esbuild options of serverless.yml's custom.esbuild (the keys serverless-esbuild passes to esbuild) */
export function esbuildOptionsOf(root: string): BuildOptions {
  const doc = parseYaml(readFileSync(join(root, 'serverless.yml'), 'utf8'), { merge: true, maxAliasCount: 1000 }) as {
    custom?: { esbuild?: Record<string, unknown> };
  };
  const e = doc.custom?.esbuild ?? {};
  const pick = <T>(k: string, fallback: T): T => (e[k] === undefined ? fallback : (e[k] as T));
  return {
    bundle: pick('bundle', true),
    minify: pick('minify', false),
    sourcemap: pick('sourcemap', false),
    target: pick('target', 'node22'),
    platform: pick('platform', 'node'),
    format: pick('format', 'cjs'),
    keepNames: pick('keepNames', false),
    ...(e.mainFields ? { mainFields: e.mainFields as string[] } : {}),
    ...(e.external ? { external: e.external as string[] } : {}),
  };
}

export async function measureBundles(
  opts: { runs?: number; only?: string[]; root?: string; label?: string } = {},
): Promise<BundleFigure[]> {
  const root = opts.root ?? PROJECT_ROOT;
  const fns = readServerlessFunctions(join(root, 'serverless.yml'));
  const outdir = join(PROJECT_ROOT, '.bench', 'bundles', opts.label ?? 'current');
  mkdirSync(outdir, { recursive: true });
  const entries = Object.entries(fns.handlers).filter(([k]) => !opts.only || opts.only.includes(k));
  const entryPoints = Object.fromEntries(
    entries.map(([key, handler]) => [key, join(root, `${handler.slice(0, handler.lastIndexOf('.'))}.ts`)]),
  );
  await build({ ...esbuildOptionsOf(root), entryPoints, outdir, logLevel: 'error' });
  return entries.map(([key]) => {
    const file = join(outdir, `${key}.js`);
    return { function: key, bytes: statSync(file).size, coldStartMs: coldStartMs(file, opts.runs ?? 3) };
  });
}
