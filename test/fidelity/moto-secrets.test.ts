import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { TEST_CREDENTIALS, useSimulator } from '../helpers/sim';
import {
  type Allowance,
  compareStep,
  describeOutcome,
  type Outcome,
  outcome,
  type StepComparison,
  summarize,
  useMoto,
} from './moto';

// Fidelity: the same sequence of real @aws-sdk/client-secrets-manager calls against the simulator and against
// moto_server; each step must answer with the same set of fields (values, ids, timestamps and list lengths
// aside) or the same error code and HTTP status class. Known moto gaps are allowed below with their reason.
// Run: npx jest --config jest.fidelity.config.js test/fidelity/moto-secrets.test.ts

const REGION = 'us-east-1';
const sim = useSimulator({ timeScale: 1 });
const moto = useMoto();

interface World {
  label: 'simulator' | 'moto';
  sm: SecretsManagerClient;
  /** NextToken of the first ListSecrets page */
  nextToken?: string;
  /** version ids a step remembers for a later one (they differ between the worlds) */
  versions: Record<string, string>;
}

interface Step {
  name: string;
  /** the error code the simulator must answer with (success when absent) */
  error?: string;
  allow?: Allowance[];
  /** maps whose keys are ids (version ids): compared as one field */
  opaque?: string[];
  act: (w: World) => Promise<unknown>;
}

// the same names in both worlds (each starts empty)
const PREFIX = 'vpn-bridge/fidelity';
const A = `${PREFIX}/alpha`;
const B = `${PREFIX}/bravo`;
const C = `${PREFIX}/charlie`;
const MISSING = `${PREFIX}/missing`;
const NOT_ACCESSED: Allowance = {
  field: 'LastAccessedDate',
  only: 'sim',
  reason:
    'moto never records access (models.py: "LastAccessedDate": None); AWS reports the day of the last GetSecretValue (awscli examples/secretsmanager/describe-secret.rst)',
};
const NOT_ACCESSED_IN_LIST: Allowance = { ...NOT_ACCESSED, field: 'SecretList[].LastAccessedDate' };
const TAGS = [
  { Key: 'vpn-bridge:managed', Value: 'true' },
  { Key: 'vpn-bridge:connection', Value: 'fidelity' },
];

const STEPS: Step[] = [
  {
    name: 'CreateSecret',
    act: (w) =>
      w.sm.send(
        new CreateSecretCommand({
          Name: A,
          Description: 'connection record',
          SecretString: '{"status":"PROVISIONING"}',
          Tags: TAGS,
        }),
      ),
  },
  {
    name: 'CreateSecret (name exists)',
    error: 'ResourceExistsException',
    act: (w) => w.sm.send(new CreateSecretCommand({ Name: A, SecretString: '{}' })),
  },
  {
    name: 'CreateSecret (invalid name)',
    error: 'InvalidParameterException',
    allow: [
      {
        moto: 'success',
        reason:
          'moto does not validate secret names; AWS allows only letters, digits and /_+=.@- (CreateSecret Name constraint)',
      },
    ],
    // outside PREFIX, so moto's extra secret stays out of the listings below
    act: (w) => w.sm.send(new CreateSecretCommand({ Name: 'fidelity bad name!', SecretString: '{}' })),
  },
  {
    name: 'GetSecretValue',
    act: (w) => w.sm.send(new GetSecretValueCommand({ SecretId: A })),
  },
  {
    name: 'PutSecretValue',
    act: (w) => w.sm.send(new PutSecretValueCommand({ SecretId: A, SecretString: '{"status":"ACTIVE"}' })),
  },
  {
    name: 'GetSecretValue (VersionStage AWSPREVIOUS)',
    act: (w) => w.sm.send(new GetSecretValueCommand({ SecretId: A, VersionStage: 'AWSPREVIOUS' })),
  },
  {
    name: 'PutSecretValue (VersionStages AWSPENDING: AWSCURRENT stays)',
    act: async (w) => {
      w.versions.current = (await w.sm.send(new GetSecretValueCommand({ SecretId: A }))).VersionId ?? '';
      const out = await w.sm.send(
        new PutSecretValueCommand({
          SecretId: A,
          SecretString: '{"status":"DELETING"}',
          VersionStages: ['AWSPENDING'],
        }),
      );
      w.versions.pending = out.VersionId ?? '';
      return out;
    },
  },
  {
    name: 'UpdateSecretVersionStage (AWSCURRENT from the current version to the pending one)',
    act: (w) =>
      w.sm.send(
        new UpdateSecretVersionStageCommand({
          SecretId: A,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: w.versions.pending,
          RemoveFromVersionId: w.versions.current,
        }),
      ),
  },
  {
    name: 'UpdateSecretVersionStage (RemoveFromVersionId no longer holds AWSCURRENT)',
    error: 'InvalidParameterException',
    act: (w) =>
      w.sm.send(
        new UpdateSecretVersionStageCommand({
          SecretId: A,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: w.versions.current,
          RemoveFromVersionId: w.versions.current,
        }),
      ),
  },
  {
    name: 'TagResource',
    act: (w) => w.sm.send(new TagResourceCommand({ SecretId: A, Tags: [{ Key: 'env', Value: 'fidelity' }] })),
  },
  {
    name: 'DescribeSecret',
    opaque: ['VersionIdsToStages'],
    allow: [NOT_ACCESSED],
    act: (w) => w.sm.send(new DescribeSecretCommand({ SecretId: A })),
  },
  {
    name: 'CreateSecret (second and third, for listing)',
    act: async (w) => {
      // the same fields as the first
      // (and read once, like the first), so a page holds the same fields whichever secret each side puts on it
      await w.sm.send(new CreateSecretCommand({ Name: B, Description: 'b', SecretString: '{"n":"b"}', Tags: TAGS }));
      const out = await w.sm.send(
        new CreateSecretCommand({ Name: C, Description: 'c', SecretString: '{"n":"c"}', Tags: TAGS }),
      );
      for (const SecretId of [B, C]) await w.sm.send(new GetSecretValueCommand({ SecretId }));
      return out;
    },
  },
  {
    name: 'ListSecrets (filter name, MaxResults 1: first page)',
    opaque: ['SecretList[].SecretVersionsToStages'],
    allow: [NOT_ACCESSED_IN_LIST],
    act: async (w) => {
      const out = await w.sm.send(
        new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [PREFIX] }], MaxResults: 1 }),
      );
      w.nextToken = out.NextToken;
      return out;
    },
  },
  {
    name: 'ListSecrets (filter name: next page by NextToken)',
    opaque: ['SecretList[].SecretVersionsToStages'],
    allow: [NOT_ACCESSED_IN_LIST],
    act: (w) =>
      w.sm.send(
        new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [PREFIX] }], MaxResults: 1, NextToken: w.nextToken }),
      ),
  },
  {
    name: 'ListSecrets (filter tag-key and tag-value)',
    opaque: ['SecretList[].SecretVersionsToStages'],
    allow: [NOT_ACCESSED_IN_LIST],
    act: (w) =>
      w.sm.send(
        new ListSecretsCommand({
          Filters: [
            { Key: 'tag-key', Values: ['vpn-bridge:connection'] },
            { Key: 'tag-value', Values: ['fidelity'] },
          ],
        }),
      ),
  },
  {
    name: 'BatchGetSecretValue (SecretIdList, one missing)',
    act: (w) => w.sm.send(new BatchGetSecretValueCommand({ SecretIdList: [A, B, MISSING] })),
  },
  {
    name: 'BatchGetSecretValue (Filters, MaxResults)',
    act: (w) =>
      w.sm.send(
        new BatchGetSecretValueCommand({
          Filters: [{ Key: 'tag-key', Values: ['vpn-bridge:managed'] }],
          MaxResults: 20,
        }),
      ),
  },
  {
    name: 'BatchGetSecretValue (MaxResults without Filters)',
    error: 'InvalidParameterException',
    act: (w) => w.sm.send(new BatchGetSecretValueCommand({ SecretIdList: [A], MaxResults: 5 })),
  },
  {
    name: 'DeleteSecret (recovery window 7 days)',
    act: (w) => w.sm.send(new DeleteSecretCommand({ SecretId: A, RecoveryWindowInDays: 7 })),
  },
  {
    name: 'DescribeSecret (scheduled for deletion)',
    opaque: ['VersionIdsToStages'],
    allow: [NOT_ACCESSED],
    act: (w) => w.sm.send(new DescribeSecretCommand({ SecretId: A })),
  },
  {
    name: 'GetSecretValue (scheduled for deletion)',
    error: 'InvalidRequestException',
    act: (w) => w.sm.send(new GetSecretValueCommand({ SecretId: A })),
  },
  {
    name: 'CreateSecret (name scheduled for deletion)',
    error: 'InvalidRequestException',
    allow: [
      {
        moto: 'ResourceExistsException',
        reason:
          'moto does not check the deletion mark on create; AWS answers InvalidRequestException ("scheduled for deletion", docs/sources.md#aws-aws)',
      },
    ],
    act: (w) => w.sm.send(new CreateSecretCommand({ Name: A, SecretString: '{}' })),
  },
  {
    name: 'PutSecretValue (scheduled for deletion)',
    error: 'InvalidRequestException',
    allow: [
      {
        moto: 'success',
        reason:
          'moto adds a version to a secret marked for deletion; AWS refuses with InvalidRequestException (PutSecretValue errors: "marked deleted")',
      },
    ],
    act: (w) => w.sm.send(new PutSecretValueCommand({ SecretId: A, SecretString: '{}' })),
  },
  {
    name: 'ListSecrets (IncludePlannedDeletion)',
    opaque: ['SecretList[].SecretVersionsToStages'],
    allow: [NOT_ACCESSED_IN_LIST],
    act: (w) =>
      w.sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [A] }], IncludePlannedDeletion: true })),
  },
  {
    name: 'RestoreSecret',
    act: (w) => w.sm.send(new RestoreSecretCommand({ SecretId: A })),
  },
  {
    name: 'DeleteSecret (recovery window out of range)',
    error: 'InvalidParameterException',
    act: (w) => w.sm.send(new DeleteSecretCommand({ SecretId: A, RecoveryWindowInDays: 3 })),
  },
  {
    name: 'DeleteSecret (recovery window and force together)',
    error: 'InvalidParameterException',
    act: (w) =>
      w.sm.send(new DeleteSecretCommand({ SecretId: A, RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true })),
  },
  {
    name: 'DeleteSecret (force, without recovery)',
    act: (w) => w.sm.send(new DeleteSecretCommand({ SecretId: B, ForceDeleteWithoutRecovery: true })),
  },
  {
    name: 'GetSecretValue (force-deleted)',
    error: 'ResourceNotFoundException',
    act: (w) => w.sm.send(new GetSecretValueCommand({ SecretId: B })),
  },
  {
    name: 'DescribeSecret (unknown)',
    error: 'ResourceNotFoundException',
    act: (w) => w.sm.send(new DescribeSecretCommand({ SecretId: MISSING })),
  },
  {
    name: 'PutSecretValue (unknown)',
    error: 'ResourceNotFoundException',
    act: (w) => w.sm.send(new PutSecretValueCommand({ SecretId: MISSING, SecretString: '{}' })),
  },
  {
    name: 'RestoreSecret (unknown)',
    error: 'ResourceNotFoundException',
    act: (w) => w.sm.send(new RestoreSecretCommand({ SecretId: MISSING })),
  },
  {
    name: 'DeleteSecret (force, unknown)',
    act: (w) => w.sm.send(new DeleteSecretCommand({ SecretId: MISSING, ForceDeleteWithoutRecovery: true })),
  },
  {
    name: 'ListSecrets (invalid NextToken)',
    error: 'InvalidNextTokenException',
    allow: [
      {
        moto: 'HTTP 500',
        reason:
          'moto crashes on a NextToken it did not issue (HTML 500 page); AWS answers InvalidNextTokenException (ListSecrets errors)',
      },
    ],
    act: (w) => w.sm.send(new ListSecretsCommand({ NextToken: 'not-a-token' })),
  },
  {
    name: 'DeleteSecret (unknown, with recovery window)',
    error: 'ResourceNotFoundException',
    act: (w) => w.sm.send(new DeleteSecretCommand({ SecretId: MISSING })),
  },
];

function client(endpoint: string): SecretsManagerClient {
  return new SecretsManagerClient({ endpoint, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
}

async function run(w: World): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  for (const step of STEPS) out.set(step.name, await outcome(() => step.act(w)));
  return out;
}

describe('Secrets Manager: the simulator and moto_server answer the same SDK calls with the same fields', () => {
  let simRun = new Map<string, Outcome>();
  let motoRun = new Map<string, Outcome>();
  const results: StepComparison[] = [];

  beforeAll(async () => {
    await moto().reset();
    simRun = await run({ label: 'simulator', sm: client(sim().sim.url), versions: {} });
    motoRun = await run({ label: 'moto', sm: client(moto().url), versions: {} });
  });

  afterAll(() => {
    process.stdout.write(`${summarize('moto comparison, Secrets Manager', results)}\n`);
  });

  it.each(STEPS)('$name: same fields or the same error on both', (step) => {
    // Prepare
    const simOutcome = simRun.get(step.name) as Outcome;
    const motoOutcome = motoRun.get(step.name) as Outcome;

    // Act
    const cmp = compareStep(step.name, simOutcome, motoOutcome, step.allow, step.opaque);
    results.push(cmp);

    // Assert
    expect(describeOutcome(simOutcome)).toMatch(step.error ? new RegExp(`^${step.error} \\(4`) : /^success$/);
    expect(cmp.problems).toEqual([]);
  });
});
