import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../local/cli';
import { preloadHandlers } from '../../local/runner';

// `npm start` = `vpn-bridge demo`: the whole workflow against an in-process simulator, the article's values.

const dir = mkdtempSync(join(tmpdir(), 'vpn-bridge-demo-'));

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'vpn-bridge', ...args], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(() => preloadHandlers());

describe('vpn-bridge demo', () => {
  it("rehearses the article's topology in the single-tunnel region with the article's addresses", async () => {
    // Act
    const r = await cli(
      'demo',
      '--alibaba-region',
      'me-east-1',
      '--json',
      '--time-scale',
      '500',
      '--logs',
      join(dir, 'demo.jsonl'),
    );

    // Assert
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as {
      status: string;
      topology: string;
      tunnels: Array<{ role: string; aws: { outsideIp: string; status: string } }>;
    };
    expect(doc.status).toBe('ACTIVE');
    expect(doc.topology).toBe('single-tunnel');
    expect(doc.tunnels.map((t) => [t.role, t.aws.outsideIp, t.aws.status])).toEqual([
      ['active', '34.194.44.159', 'UP'],
      ['standby', '34.198.177.52', 'UP'],
    ]);
  });

  it('refuses an Alibaba region the simulator does not have, as a JSON error with --json', async () => {
    const r = await cli('demo', '--alibaba-region', 'mars-north-1', '--json', '--time-scale', '500');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as { error: { code: string; message: string } };
    expect(doc.error.message).toMatch(/mars-north-1/);
    expect(doc.error.message).toMatch(/eu-central-1, me-east-1/);
  });

  it('refuses an Alibaba region the simulator does not have, on stderr without --json', async () => {
    const r = await cli('demo', '--alibaba-region', 'mars-north-1', '--time-scale', '500');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/mars-north-1.*eu-central-1, me-east-1/);
  });

  it('rejects an unknown profile before starting anything', async () => {
    const r = await cli('demo', '--profile', 'weak');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Allowed choices are recommended, article-2018/);
  });
});
