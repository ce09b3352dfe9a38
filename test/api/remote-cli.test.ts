import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OPERATOR_AWS } from '../../local/constants';
import { signRequest } from '../../local/sigv4';
import type { ConnectionView } from '../../src/service/connections';
import { cleanEnv, type Running, runCli, startCli } from '../helpers/cli-process';

// The CLI against a deployed vpn-bridge, tested against `vpn-bridge serve`: real processes, real HTTP, SigV4 from
// the standard credential chain (here the environment's keys) checked by serve as API Gateway's IAM authorizer
// checks it. The stack is found through CloudFormation's DescribeStacks (a loopback endpoint answering as
// CloudFormation does, through the real SDK) or named with --api.

let serve: Running;
let cfn: Server;
let cfnUrl = '';
const cfnCalls: string[] = [];

const signedAs = (keys: { accessKeyId: string; secretAccessKey: string }, extra: Record<string, string> = {}) =>
  cleanEnv({
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    AWS_REGION: 'us-east-1',
    VPN_BRIDGE_POLL_MS: '250',
    ...extra,
  });
const operator = () => signedAs(OPERATOR_AWS);

beforeAll(async () => {
  serve = await startCli(['serve', '--local', '--port', '0', '--time-scale', '500', '--drift-every', '0']);
  // DescribeStacks as CloudFormation answers it (Query protocol, XML), for the stack vpn-bridge-test
  cfn = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      cfnCalls.push(`${req.headers.authorization?.split(' ')[0]} ${body}`);
      const found = body.includes('StackName=vpn-bridge-test');
      res.writeHead(found ? 200 : 400, { 'content-type': 'text/xml' });
      res.end(
        found
          ? `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>vpn-bridge-test</StackName><StackStatus>UPDATE_COMPLETE</StackStatus><CreationTime>2026-12-01T00:00:00Z</CreationTime><Outputs><member><OutputKey>HttpApiUrl</OutputKey><OutputValue>${serve.url}</OutputValue></member></Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeStacksResponse>`
          : `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${/StackName=([^&]+)/.exec(body)?.[1]} does not exist</Message></Error><RequestId>2</RequestId></ErrorResponse>`,
      );
    });
  });
  await new Promise<void>((r) => cfn.listen(0, '127.0.0.1', r));
  cfnUrl = `http://127.0.0.1:${(cfn.address() as AddressInfo).port}`;
}, 90_000);

afterAll(async () => {
  await serve?.stop();
  await new Promise<void>((r) => (cfn ? cfn.close(() => r()) : r()));
});

describe('the CLI against a deployed stack (vpn-bridge serve)', () => {
  it('up, plan, status, list, drift, rotate and down through the signed HTTP API', async () => {
    const api = ['--api', serve.url];
    const up = await runCli(['up', '-f', 'examples/gdn-china.yaml', ...api], operator());
    expect(up.stderr).toMatch(/gdn-china: PROVISIONING/);
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/gdn-china: ACTIVE \(dual-tunnel\)/);

    const plan = await runCli(['plan', '-f', 'examples/gdn-china.yaml', ...api, '--json'], operator());
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout).summary.create).toBe(0);

    const status = await runCli(['status', 'gdn-china', ...api, '--json'], operator());
    expect(status.code).toBe(0);
    const view = JSON.parse(status.stdout) as ConnectionView;
    expect(view.status).toBe('ACTIVE');
    expect(view.tunnels.filter((t) => t.role !== 'unused').every((t) => t.up)).toBe(true);

    // a used tunnel forced down: status exits 2 and names it; drift reports it
    const state = (await (
      await fetch(`${serve.url}/connections/gdn-china`, { headers: await sign('GET', '/connections/gdn-china') })
    ).json()) as ConnectionView;
    const active = state.tunnels.find((t) => t.role === 'active');
    expect(active?.aws.vpnConnectionId).toBeDefined();
    const simUrl = /simulator at (http:\/\/127\.0\.0\.1:\d+)/.exec(serve.output())?.[1];
    await fetch(`${simUrl}/_sim/tunnels/down`, {
      method: 'POST',
      body: JSON.stringify({ cloud: 'aws', vpnConnectionId: active?.aws.vpnConnectionId, tunnel: active?.aws.tunnel }),
    });
    const down = await runCli(['status', 'gdn-china', ...api], operator());
    expect(down.code).toBe(2);
    expect(down.stdout).toMatch(/vpn-1\/1 \(active\) is DOWN/);
    const drift = await runCli(['drift', 'gdn-china', ...api], operator());
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(/gdn-china: \d+ finding\(s\)/);
    await fetch(`${simUrl}/_sim/tunnels/up`, {
      method: 'POST',
      body: JSON.stringify({ cloud: 'aws', vpnConnectionId: active?.aws.vpnConnectionId, tunnel: active?.aws.tunnel }),
    });

    // the stack found through CloudFormation outputs (--stage test -> vpn-bridge-test)
    const listed = await runCli(['list', '--stage', 'test', '--json'], operator_cfn());
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).map((c: { name: string }) => c.name)).toEqual(['gdn-china']);
    expect(cfnCalls.at(-1)).toMatch(/^AWS4-HMAC-SHA256 Action=DescribeStacks&.*StackName=vpn-bridge-test/);
    const missing = await runCli(['list', '--stage', 'nope'], operator_cfn());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no stack vpn-bridge-nope in us-east-1/);

    const page = await fetch(`${serve.url}/`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/data-connection="gdn-china"/);

    // a key rotation through POST /connections/{name}/rotate, followed until the record's last rotation changes
    const rotated = await runCli(['rotate', 'gdn-china', ...api, '--json'], operator());
    expect(rotated.code).toBe(0);
    const rotation = JSON.parse(rotated.stdout) as {
      status: string;
      lastRotation: { result: string; tunnels: string[] };
    };
    expect(rotation.status).toBe('ACTIVE');
    expect(rotation.lastRotation.result).toBe('SUCCEEDED');
    expect(rotation.lastRotation.tunnels).toHaveLength(2);

    const gone = await runCli(['down', 'gdn-china', ...api], operator());
    expect(gone.code).toBe(0);
    expect(gone.stdout).toMatch(/gdn-china: DELETED/);
  }, 300_000);

  it('is refused (403) with a wrong key, a wrong secret, a stale signature or no signature', async () => {
    const wrongKey = await runCli(
      ['list', '--api', serve.url],
      signedAs({ accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' }),
    );
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/403 The security token included in the request is invalid/);
    const wrongSecret = await runCli(
      ['list', '--api', serve.url, '--json'],
      signedAs({ accessKeyId: OPERATOR_AWS.accessKeyId, secretAccessKey: 'not-the-secret' }),
    );
    expect(wrongSecret.code).toBe(1);
    expect(JSON.parse(wrongSecret.stdout).error.message).toMatch(/signature we calculated does not match/);
    const stale = await fetch(`${serve.url}/connections`, {
      headers: await sign('GET', '/connections', new Date(Date.now() - 10 * 60_000)),
    });
    expect(stale.status).toBe(403);
    expect(((await stale.json()) as { message: string }).message).toMatch(/Signature expired/);
    const unsigned = await fetch(`${serve.url}/connections`);
    expect(unsigned.status).toBe(403);
    const fresh = await fetch(`${serve.url}/connections`, { headers: await sign('GET', '/connections') });
    expect(fresh.status).toBe(200);
  });

  it('says so in one line when the port is taken, and exits', async () => {
    const port = new URL(serve.url).port;
    const busy = await runCli(['serve', '--local', '--port', port]);
    expect(busy.code).toBe(1);
    expect(busy.stderr.trim()).toBe(
      `vpn-bridge: port ${port} is already in use (another vpn-bridge serve?): stop it or pick another with --port`,
    );
  });
});

function operator_cfn() {
  return operator_with({ AWS_ENDPOINT_URL_CLOUDFORMATION: cfnUrl });
}
function operator_with(extra: Record<string, string>) {
  return signedAs(OPERATOR_AWS, extra);
}
async function sign(method: string, path: string, date?: Date): Promise<Record<string, string>> {
  return signRequest({ method, url: new URL(`${serve.url}${path}`), headers: {} }, OPERATOR_AWS, 'us-east-1', date);
}
