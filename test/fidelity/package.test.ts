import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { CFN_LINT_IGNORED, cfnLint, packageOffline, type Run } from './packaging';

// Fidelity: `npm run package` (Serverless Framework 3 + serverless-esbuild, serverless-step-functions,
// serverless-iam-roles-per-function) works offline with no AWS credentials, and the CloudFormation template it
// writes deploys what serverless.yml and statemachine/*.asl.json declare, with least-privilege roles; then
// cfn-lint checks the template. Everything is read generically from serverless.yml, so new functions and state
// machines are covered as they appear. Packaging bundles every function with esbuild: minutes on a busy machine.
// Run: npx jest --config jest.fidelity.config.js test/fidelity/package.test.ts

const ROOT = resolve(__dirname, '../..');
const PACKAGE_TIMEOUT_MS = 20 * 60_000;
// ------------------------------------------------------------------ types of what we read

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

interface Resource {
  Type: string;
  Properties?: JsonObject;
}
interface Template {
  Resources: Record<string, Resource>;
}

interface ServerlessYml {
  service: string;
  provider?: { runtime?: string; stage?: string };
  functions?: Record<string, { runtime?: string; name?: string } | null>;
  stepFunctions?: { stateMachines?: Record<string, { id?: string; name?: string; definition?: unknown }> };
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const asList = (v: Json | undefined): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

// ------------------------------------------------------------------ running the tools

// ------------------------------------------------------------------ reading serverless.yml and the template

/** Serverless's logical-id normalisation: first letter up, `-` -> Dash, `_` -> Underscore */
const normalizeName = (name: string): string =>
  `${name.charAt(0).toUpperCase()}${name.slice(1)}`.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');

const functionLogicalId = (fn: string): string => `${normalizeName(fn)}LambdaFunction`;

/** the few variables used in names, as they resolve with the default stage */
function resolveVariables(s: string, yml: ServerlessYml, stage: string): string {
  return s
    .replace(/\$\{sls:stage\}/g, stage)
    .replace(/\$\{self:provider\.stage\}/g, stage)
    .replace(/\$\{opt:stage(?:,\s*'[^']*')?\}/g, stage)
    .replace(/\$\{self:service\}/g, yml.service);
}

/** the logical id behind `{"Fn::GetAtt": [id, "Arn"]}` */
function getAttId(v: Json | undefined): string | undefined {
  if (!isObject(v)) return undefined;
  const att = v['Fn::GetAtt'];
  return Array.isArray(att) && typeof att[0] === 'string' ? att[0] : undefined;
}

interface PolicyStatement {
  where: string;
  statement: JsonObject;
}

/** every policy statement of a role or policy resource */
function statementsOf(id: string, r: Resource): PolicyStatement[] {
  const docs: Array<{ where: string; doc: Json | undefined }> = [];
  const p = r.Properties ?? {};
  if (r.Type === 'AWS::IAM::Role')
    for (const pol of asList(p.Policies))
      if (isObject(pol)) docs.push({ where: `${id}/${JSON.stringify(pol.PolicyName)}`, doc: pol.PolicyDocument });
  if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy')
    docs.push({ where: id, doc: p.PolicyDocument });
  return docs.flatMap(({ where, doc }) =>
    isObject(doc)
      ? asList(doc.Statement)
          .filter(isObject)
          .map((statement) => ({ where, statement }))
      : [],
  );
}

/** why an allowed action is too broad, or undefined */
function wildcardProblem(action: string): string | undefined {
  if (action === '*') return 'all actions';
  if (/^[^:]+:\*$/.test(action)) return 'every action of a service';
  if (action.toLowerCase().startsWith('ec2:') && action.includes('*')) return 'an ec2 action wildcard';
  return undefined;
}

interface LambdaTask {
  state: string;
  /** the deployed FunctionName (or the logical id behind an intrinsic), undefined when it cannot be known */
  target?: string;
  kind: 'name' | 'logical-id';
}

/**
 * The Lambda Tasks of an ASL definition, nested Parallel branches and Map iterators included. `subs` are the
 * Fn::Sub parameters of a deployed definition; in a source definition an intrinsic Resource names the function
 * key, which `logicalId` maps to the function's logical id.
 */
function lambdaTasks(
  definition: JsonObject,
  subs: Record<string, Json> = {},
  logicalId: (key: string) => string = (key) => key,
): LambdaTask[] {
  const out: LambdaTask[] = [];
  const walk = (states: Json | undefined) => {
    if (!isObject(states)) return;
    for (const [name, st] of Object.entries(states)) {
      if (!isObject(st)) continue;
      if (st.Type === 'Parallel') for (const b of asList(st.Branches)) if (isObject(b)) walk(b.States);
      if (st.Type === 'Map') {
        for (const key of ['Iterator', 'ItemProcessor']) {
          const inner = st[key];
          if (isObject(inner)) walk(inner.States);
        }
      }
      if (st.Type !== 'Task') continue;
      const resource = st.Resource;
      if (isObject(resource)) {
        const key = getAttId(resource);
        out.push({ state: name, target: key === undefined ? undefined : logicalId(key), kind: 'logical-id' });
        continue;
      }
      if (typeof resource !== 'string') continue;
      if (resource.startsWith('arn:aws:states:::lambda:invoke')) {
        const params = isObject(st.Parameters) ? st.Parameters : isObject(st.Arguments) ? st.Arguments : {};
        const fn = params.FunctionName;
        out.push({ state: name, target: typeof fn === 'string' ? fn : undefined, kind: 'name' });
        continue;
      }
      const direct = /:function:([^:"]+)/.exec(resource);
      if (direct) {
        out.push({ state: name, target: direct[1], kind: 'name' });
        continue;
      }
      // a CloudFormation intrinsic hoisted into Fn::Sub by serverless-step-functions: ${param} -> GetAtt
      const sub = /^\$\{([^}]+)\}$/.exec(resource);
      if (sub?.[1] !== undefined) out.push({ state: name, target: getAttId(subs[sub[1]]), kind: 'logical-id' });
    }
  };
  walk(definition.States);
  return out;
}

/** the definition object and the Fn::Sub parameters of a deployed state machine */
function deployedDefinition(r: Resource): { definition: JsonObject; subs: Record<string, Json> } {
  const d = r.Properties?.DefinitionString;
  if (typeof d === 'string') return { definition: JSON.parse(d) as JsonObject, subs: {} };
  if (isObject(d)) {
    const sub = d['Fn::Sub'];
    if (typeof sub === 'string') return { definition: JSON.parse(sub) as JsonObject, subs: {} };
    if (Array.isArray(sub) && typeof sub[0] === 'string')
      return { definition: JSON.parse(sub[0]) as JsonObject, subs: isObject(sub[1]) ? sub[1] : {} };
  }
  throw new Error(`unexpected DefinitionString: ${JSON.stringify(d).slice(0, 200)}`);
}

// ------------------------------------------------------------------ the test

const yml = parse(readFileSync(join(ROOT, 'serverless.yml'), 'utf8'), { merge: true }) as ServerlessYml;
const STAGE = 'dev';
const functions = Object.keys(yml.functions ?? {});
const stateMachines = Object.entries(yml.stepFunctions?.stateMachines ?? {});
const aslFiles = readdirSync(join(ROOT, 'statemachine'))
  .filter((f) => f.endsWith('.asl.json'))
  .sort();

describe('npm run package (offline) and the CloudFormation template it writes', () => {
  const home = mkdtempSync(join(tmpdir(), 'vpn-bridge-home-'));
  const outDir = mkdtempSync(join(tmpdir(), 'vpn-bridge-package-'));
  let run: Run = { code: null, output: 'not run', ms: 0 };
  let template: Template = { Resources: {} };
  const resources = () => Object.entries(template.Resources);
  const lambdas = () => resources().filter(([, r]) => r.Type === 'AWS::Lambda::Function');

  beforeAll(async () => {
    run = await packageOffline(home, outDir);
    process.stdout.write(`npm run package: exit ${run.code} after ${Math.round(run.ms / 1000)} s\n`);
    const file = join(outDir, 'cloudformation-template-update-stack.json');
    if (existsSync(file)) template = JSON.parse(readFileSync(file, 'utf8')) as Template;
  }, PACKAGE_TIMEOUT_MS);

  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  });

  it('packages with an empty HOME, no AWS credentials and an unreachable proxy', () => {
    // Assert
    expect({ code: run.code, tail: run.code === 0 ? '' : run.output.slice(-4000) }).toEqual({ code: 0, tail: '' });
    expect(existsSync(join(outDir, 'cloudformation-template-update-stack.json'))).toBe(true);
    expect(readdirSync(outDir).filter((f) => f.endsWith('.zip'))).toHaveLength(functions.length);
  });

  it('declares a nodejs22.x Lambda function for every function in serverless.yml', () => {
    // Prepare
    const byId = new Map(lambdas());

    // Act
    const found = functions.map((fn) => ({ fn, runtime: byId.get(functionLogicalId(fn))?.Properties?.Runtime }));

    // Assert
    expect(functions.length).toBeGreaterThan(0);
    expect(found).toEqual(functions.map((fn) => ({ fn, runtime: 'nodejs22.x' })));
  });

  it('gives every function its own IAM role (serverless-iam-roles-per-function)', () => {
    // Prepare
    const byId = new Map(resources());

    // Act
    const roles = functions.map((fn) => getAttId(byId.get(functionLogicalId(fn))?.Properties?.Role));

    // Assert
    const problems = functions.flatMap((fn, i) => {
      const role = roles[i];
      if (role === undefined) return [`${fn}: no role`];
      if (byId.get(role)?.Type !== 'AWS::IAM::Role') return [`${fn}: ${role} is not an AWS::IAM::Role`];
      if (role === 'IamRoleLambdaExecution') return [`${fn}: uses the shared provider role`];
      if (roles.indexOf(role) !== i) return [`${fn}: shares ${role} with ${functions[roles.indexOf(role)]}`];
      return [];
    });
    expect(problems).toEqual([]);
  });

  it('monitors the stack: dashboard, failure destinations of the async functions, API access logs and throttling', () => {
    // Prepare
    const byType = (type: string) => resources().filter(([, r]) => r.Type === type);
    const body = (): string => {
      const raw = byType('AWS::CloudWatch::Dashboard')[0]?.[1].Properties?.DashboardBody;
      const sub = isObject(raw) ? raw['Fn::Sub'] : raw;
      return typeof sub === 'string' ? sub : '';
    };
    const queue = byType('AWS::SQS::Queue').map(([id]) => id);
    const invokeConfigs = byType('AWS::Lambda::EventInvokeConfig').map(([, r]) => ({
      fn: isObject(r.Properties?.FunctionName) ? r.Properties?.FunctionName.Ref : undefined,
      onFailure: JSON.stringify(
        isObject(r.Properties?.DestinationConfig) ? r.Properties?.DestinationConfig.OnFailure : undefined,
      ),
    }));
    const stage = byType('AWS::ApiGatewayV2::Stage')[0]?.[1].Properties ?? {};

    // Assert: the dashboard, parsed as JSON once its substitutions are filled in
    const widgets = (
      JSON.parse(body().replace(/\$\{[^}]+\}/g, 'x')) as { widgets: Array<{ properties: { metrics?: unknown } }> }
    ).widgets;
    const text = JSON.stringify(widgets);
    for (const metric of [
      'ExecutionsFailed',
      'Errors',
      'Duration',
      'OperationDuration',
      'DriftFindings',
      'TunnelsDown',
    ])
      expect(text).toContain(metric);
    expect(text).toContain('SEARCH(\'{AWS/VPN,VpnId,TunnelIpAddress} MetricName=\\"TunnelState\\"');
    // Assert: chat worker, notifier, rotation schedule and failover watcher fail into the dead-letter queue
    expect(queue).toEqual(['AsyncFailureQueue']);
    expect(invokeConfigs.sort((a, b) => String(a.fn).localeCompare(String(b.fn)))).toEqual(
      ['chatopsCommand', 'notifyExecutionStatus', 'rotateDue', 'tgwFailover']
        .map((fn) => ({
          fn: functionLogicalId(fn),
          onFailure: JSON.stringify({ Destination: { 'Fn::GetAtt': ['AsyncFailureQueue', 'Arn'] } }),
        }))
        .sort((a, b) => String(a.fn).localeCompare(String(b.fn))),
    );
    // Assert: access logs into a log group, default route throttling
    expect(isObject(stage.AccessLogSettings) && typeof stage.AccessLogSettings.Format).toBe('string');
    expect(JSON.stringify(stage.AccessLogSettings)).toContain('$context.requestId');
    expect(stage.DefaultRouteSettings).toEqual(
      expect.objectContaining({ ThrottlingBurstLimit: expect.any(Number), ThrottlingRateLimit: expect.any(Number) }),
    );
    expect(byType('AWS::SNS::Topic').map(([id]) => id)).toEqual(['AlarmTopic']);
  });

  it('grants no wildcard actions in any role or policy (no "*", no service:*, no ec2 action wildcards)', () => {
    // Act
    const statements = resources().flatMap(([id, r]) => statementsOf(id, r));
    const problems = statements.flatMap(({ where, statement }) => {
      if (statement.Effect !== 'Allow') return [];
      if (statement.NotAction !== undefined) return [`${where}: Allow with NotAction`];
      return asList(statement.Action).flatMap((a) => {
        const why = typeof a === 'string' ? wildcardProblem(a) : 'a non-string action';
        return why ? [`${where}: ${JSON.stringify(a)} (${why})`] : [];
      });
    });
    const managed = resources().flatMap(([id, r]) =>
      asList(r.Properties?.ManagedPolicyArns)
        .map((arn) => JSON.stringify(arn))
        .filter((arn) => /AdministratorAccess|PowerUserAccess|FullAccess/.test(arn))
        .map((arn) => `${id}: managed policy ${arn}`),
    );

    // Assert
    expect(statements.length).toBeGreaterThan(functions.length);
    expect([...problems, ...managed]).toEqual([]);
  });

  it('deploys every statemachine/*.asl.json as an AWS::StepFunctions::StateMachine', () => {
    // Prepare
    const referenced = stateMachines.map(([key, sm]) => {
      const m =
        typeof sm.definition === 'string' ? /^\$\{file\(\.?\/?statemachine\/(.+)\)\}$/.exec(sm.definition) : null;
      return { key, file: m?.[1] };
    });
    const deployedNames = resources()
      .filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine')
      .map(([id, r]) => ({ id, name: r.Properties?.StateMachineName }));

    // Act
    const missing = stateMachines.flatMap(([key, sm]) => {
      const name = sm.name === undefined ? undefined : resolveVariables(sm.name, yml, STAGE);
      const ok = deployedNames.some((d) => (name !== undefined ? d.name === name : d.id === (sm.id ?? key)));
      return ok ? [] : [`${key} (${name ?? sm.id ?? key})`];
    });

    // Assert
    expect(referenced.map((r) => r.file).sort()).toEqual(aslFiles);
    expect(missing).toEqual([]);
    expect(deployedNames).toHaveLength(stateMachines.length);
  });

  it('points every Lambda Task of every state machine at a serverless.yml function its role may invoke', () => {
    // Prepare
    const byId = new Map(resources());
    const ownFunctions = new Map(
      functions.map((fn) => [functionLogicalId(fn), byId.get(functionLogicalId(fn))?.Properties?.FunctionName]),
    );
    const deployedFunctionNames = new Set([...ownFunctions.values()].filter((n): n is string => typeof n === 'string'));
    const machines = resources().filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine');

    // Act
    const problems: string[] = [];
    let checked = 0;
    for (const [id, r] of machines) {
      const { definition, subs } = deployedDefinition(r);
      const roleId = getAttId(r.Properties?.RoleArn);
      const roleStatements = roleId && byId.get(roleId) ? statementsOf(roleId, byId.get(roleId) as Resource) : [];
      const invokable = (name: string) =>
        roleStatements.some(
          ({ statement }) =>
            statement.Effect === 'Allow' &&
            asList(statement.Action).includes('lambda:InvokeFunction') &&
            new RegExp(`:function:${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(["*:]|$)`).test(
              JSON.stringify(statement.Resource),
            ),
        );
      for (const task of lambdaTasks(definition, subs)) {
        checked++;
        const where = `${id}.${task.state}`;
        if (task.target === undefined) problems.push(`${where}: the function is not a fixed name`);
        else if (task.kind === 'logical-id') {
          if (!ownFunctions.has(task.target))
            problems.push(`${where}: ${task.target} is not a serverless.yml function`);
        } else if (!deployedFunctionNames.has(task.target))
          problems.push(`${where}: ${task.target} is not a serverless.yml function`);
        else if (!invokable(task.target))
          problems.push(`${where}: the state machine role may not invoke ${task.target}`);
      }
    }

    // Assert
    expect(machines.length).toBeGreaterThan(0);
    expect(checked).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('keeps every Lambda Task of the source definitions in the deployed ones', () => {
    // Prepare
    const sources = stateMachines.map(([key, sm]) => {
      const m = typeof sm.definition === 'string' ? /^\$\{file\((.+)\)\}$/.exec(sm.definition) : null;
      const text = m?.[1] ? readFileSync(join(ROOT, m[1]), 'utf8') : '{}';
      const name = sm.name === undefined ? undefined : resolveVariables(sm.name, yml, STAGE);
      return { key, name, source: JSON.parse(resolveVariables(text, yml, STAGE)) as JsonObject };
    });

    // Act
    const compared = sources.map(({ key, name, source }) => {
      const deployed = resources().find(
        ([, r]) => r.Type === 'AWS::StepFunctions::StateMachine' && r.Properties?.StateMachineName === name,
      );
      const tasks = (d: JsonObject, subs: Record<string, Json>, logicalId?: (key: string) => string) =>
        lambdaTasks(d, subs, logicalId).map((t) => `${t.state} -> ${t.target ?? '?'}`);
      const toLogicalId = (key: string) => (functions.includes(key) ? functionLogicalId(key) : key);
      if (!deployed) return { key, source: tasks(source, {}, toLogicalId), deployed: ['(not deployed)'] };
      const { definition, subs } = deployedDefinition(deployed[1]);
      return { key, source: tasks(source, {}, toLogicalId), deployed: tasks(definition, subs) };
    });

    // Assert
    expect(compared.map((c) => ({ key: c.key, tasks: c.deployed }))).toEqual(
      compared.map((c) => ({ key: c.key, tasks: c.source })),
    );
  });

  it(`passes cfn-lint without errors or warnings (ignored: ${Object.keys(CFN_LINT_IGNORED).join(', ')})`, async () => {
    // Prepare
    const file = join(outDir, 'cloudformation-template-update-stack.json');
    expect(existsSync(file)).toBe(true);

    // Act
    const { findings } = await cfnLint(file);
    for (const [id, why] of Object.entries(CFN_LINT_IGNORED))
      process.stdout.write(`cfn-lint: ignoring ${id}: ${why}\n`);

    // Assert
    const blocking = findings
      .filter((f) => f.Level === 'Error' || f.Level === 'Warning')
      .map((f) => `${f.Rule.Id} ${f.Location.Path.join('/')}: ${f.Message}`);
    expect(blocking).toEqual([]);
  });
});
