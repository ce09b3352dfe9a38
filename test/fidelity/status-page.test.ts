import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteRouteCommand, DescribeRouteTablesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { type Browser, chromium } from 'playwright-core';
import { OPERATOR_AWS } from '../../local/constants';
import { cleanEnv, ROOT, type Running, runCli, startCli } from '../helpers/cli-process';

// The status page in a real browser: Debian's Chromium, headless (scripts/browser-setup.sh installs it for
// `npm run test:fidelity`; without it this fails naming what is missing). `vpn-bridge serve --local` holds a
// connection provisioned through its signed API, with a route deleted behind its back and a drift check run; the page
// must show the topology (both VPCs, both gateways, the tunnels with their roles and states), the drift row and the
// last operation's timeline with its critical path. The screenshot is kept in .vpn-bridge/status-page.png.

const CHROMIUM = '/usr/bin/chromium';
const SHOT = join(ROOT, '.vpn-bridge', 'status-page.png');
let serve: Running;
let browser: Browser | undefined;
const env = () =>
  cleanEnv({
    AWS_ACCESS_KEY_ID: OPERATOR_AWS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: OPERATOR_AWS.secretAccessKey,
    AWS_REGION: 'us-east-1',
    VPN_BRIDGE_POLL_MS: '250',
  });

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: run scripts/browser-setup.sh (as root: apt-get install -y chromium)`);
  serve = await startCli(['serve', '--local', '--port', '0', '--time-scale', '500', '--drift-every', '0']);
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

it('shows a connection: topology, tunnel roles and states, drift rows, and the timeline with the critical path', async () => {
  const api = ['--api', serve.url];
  expect((await runCli(['up', '-f', 'examples/gdn-china.yaml', ...api], env())).code).toBe(0);
  const simUrl = /simulator at (http:\/\/127\.0\.0\.1:\d+)/.exec(serve.output())?.[1] ?? '';
  const ec2 = new EC2Client({ endpoint: simUrl, region: 'us-east-1', credentials: OPERATOR_AWS });
  const tables = await ec2.send(new DescribeRouteTablesCommand({}));
  const table = tables.RouteTables?.find((t) => t.Routes?.some((r) => r.DestinationCidrBlock === '192.168.0.0/16'));
  await ec2.send(new DeleteRouteCommand({ RouteTableId: table?.RouteTableId, DestinationCidrBlock: '192.168.0.0/16' }));
  ec2.destroy();
  expect((await runCli(['drift', 'gdn-china', ...api], env())).code).toBe(2);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${serve.url}/`);
  const conn = page.locator('section[data-connection="gdn-china"]');
  await expect(conn.locator('h2').textContent()).resolves.toMatch(/gdn-china\s*ACTIVE/);
  const text = (await conn.textContent()) ?? '';
  expect(text).toMatch(/AWS VPC\s*vpc-0bbaafa7f73c855b1\s*172\.80\.64\.0\/19/);
  expect(text).toMatch(/Alibaba VPC\s*vpc-4minbsi1oktey8dfxfckw\s*192\.168\.0\.0\/16/);
  expect(text).toMatch(/Alibaba VPN gateway\s*vpn-/);
  const roles = await conn
    .locator('.tun')
    .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-tunnel')} ${e.getAttribute('data-role')}`));
  expect(roles).toEqual(['vpn-1/1 active', 'vpn-1/2 unused', 'vpn-2/1 standby', 'vpn-2/2 unused']);
  expect(await conn.locator('.tun[data-role="active"] .badge.UP').count()).toBe(2);
  expect(await conn.locator('tr.drift-row').count()).toBeGreaterThan(0);
  expect(await conn.locator('tr.drift-row').first().textContent()).toMatch(/192\.168\.0\.0\/16/);
  const steps = await conn.locator('table.timeline tr.step').count();
  const critical = await conn.locator('table.timeline tr.step.on-critical-path').allTextContents();
  expect(steps).toBeGreaterThan(10);
  expect(critical.length).toBeGreaterThan(2);
  expect(critical.length).toBeLessThan(steps);
  expect(critical.join(' ')).toMatch(/AwsWaitVpnConnections/);
  expect(text).not.toMatch(/psk|PreSharedKey|secret/i);
  mkdirSync(join(ROOT, '.vpn-bridge'), { recursive: true });
  await page.screenshot({ path: SHOT, fullPage: true });
  expect(existsSync(SHOT)).toBe(true);
}, 240_000);
