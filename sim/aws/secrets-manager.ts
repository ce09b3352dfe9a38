import type { Service, ServiceRequest, ServiceResponse, SimContext } from '../core/context';
import { SimError } from '../core/errors';
import type { Secret, SecretVersion, Tag } from '../types';
import {
  epochSeconds,
  JsonParams,
  type JsonProtocol,
  jsonError,
  jsonOk,
  page,
  unknownOperation,
} from './json/protocol';
import { filterSecrets, parseFilters, type SecretFilter } from './json/secret-filters';

// Secrets Manager, JSON 1.1 (docs/sources.md#aws-aws). Secrets are region-scoped (`ctx.secrets(region)`, keyed by ARN).
// Used by vpn-bridge as the connection registry (README.md): one secret per connection, listed by tag,
// read in pages with BatchGetSecretValue by the drift check.

const PROTOCOL: JsonProtocol = { version: '1.1', messageKey: 'Message', validationCode: 'InvalidParameterException' };

const DAY_MS = 86_400_000;
const NAME_RE = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const MAX_VALUE_BYTES = 65_536;
/** Secrets Manager keeps about 100 versions; unlabelled (deprecated) ones beyond that are removed */
const MAX_VERSIONS = 100;

// ---------------------------------------------------------------- errors

const notFound = () =>
  new SimError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.", 400);

const markedForDeletion = () =>
  new SimError(
    'InvalidRequestException',
    "You can't perform this operation on the secret because it was marked for deletion.",
    400,
  );

const invalidParam = (message: string) => new SimError('InvalidParameterException', message, 400);

const invalidNextToken = () => new SimError('InvalidNextTokenException', 'The NextToken value is invalid.', 400);

// ---------------------------------------------------------------- helpers

function randomSuffix(ctx: SimContext): string {
  // 6 lowercase alphanumerics from the seeded id generator (reproducible worlds).
  return ctx.ids.ali('secret').slice(-6);
}

function secretArn(ctx: SimContext, region: string, name: string, suffix: string): string {
  return `arn:aws:secretsmanager:${region}:${ctx.state.aws.accountId}:secret:${name}-${suffix}`;
}

/** the ARN without its `-XXXXXX` suffix (what a partial ARN looks like) */
function partialArn(arn: string): string {
  return arn.slice(0, -7);
}

/** SecretId: the name, the full ARN, or the partial ARN without the random suffix */
export function findSecret(ctx: SimContext, region: string, secretId: string): Secret | undefined {
  const all = ctx.secrets(region);
  if (!secretId.startsWith('arn:')) return Object.values(all).find((s) => s.Name === secretId);
  return all[secretId] ?? Object.values(all).find((s) => partialArn(s.ARN) === secretId);
}

function mustFind(ctx: SimContext, region: string, secretId: string): Secret {
  const s = findSecret(ctx, region, secretId);
  if (!s) throw notFound();
  return s;
}

function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

interface SecretValue {
  SecretString?: string;
  SecretBinary?: string;
}

function readValue(p: JsonParams, required: boolean): SecretValue | undefined {
  const SecretString = p.str('SecretString');
  const SecretBinary = p.str('SecretBinary');
  if (SecretString !== undefined && SecretBinary !== undefined)
    throw invalidParam("You can't specify both a binary secret value and a string secret value in the same secret.");
  if (SecretString === undefined && SecretBinary === undefined) {
    if (required) throw invalidParam('You must provide either SecretString or SecretBinary.');
    return undefined;
  }
  if (SecretString !== undefined && Buffer.byteLength(SecretString, 'utf8') > MAX_VALUE_BYTES)
    throw invalidParam(`SecretString must be at most ${MAX_VALUE_BYTES} bytes.`);
  if (SecretBinary !== undefined && Buffer.from(SecretBinary, 'base64').length > MAX_VALUE_BYTES)
    throw invalidParam(`SecretBinary must be at most ${MAX_VALUE_BYTES} bytes.`);
  return SecretString !== undefined ? { SecretString } : { SecretBinary };
}

function readToken(p: JsonParams, value: SecretValue | undefined): string | undefined {
  const token = p.str('ClientRequestToken');
  if (token !== undefined && (token.length < 32 || token.length > 64))
    throw invalidParam('ClientRequestToken must be 32-64 characters long.');
  // The SDKs and the CLI always fill it in; a raw request with a value but no token is refused (observed).
  if (value && token === undefined)
    throw new SimError(
      'InvalidRequestException',
      'You must provide a ClientRequestToken value. We recommend a UUID-type value.',
      400,
    );
  return token;
}

function readTags(p: JsonParams, key: string, required: boolean): Tag[] | undefined {
  const list = p.objList(key);
  if (list === undefined) {
    if (required) throw invalidParam(`The parameter ${key} is required.`);
    return undefined;
  }
  return list.map((raw) => {
    const t = p.child(raw);
    const Key = t.str('Key');
    const Value = t.str('Value') ?? '';
    if (Key === undefined || Key.length < 1 || Key.length > 128)
      throw invalidParam('A tag key must be 1-128 characters long.');
    if (Value.length > 256) throw invalidParam('A tag value must be at most 256 characters long.');
    return { Key, Value };
  });
}

function mergeTags(existing: Tag[], add: Tag[]): Tag[] {
  const byKey = new Map(existing.map((t) => [t.Key, t] as const));
  for (const t of add) byKey.set(t.Key, { Key: t.Key, Value: t.Value });
  return [...byKey.values()];
}

/** same token: same value is a no-op returning that version; a different value fails */
function versionForToken(secret: Secret, token: string | undefined, value: SecretValue): SecretVersion | undefined {
  if (token === undefined) return undefined;
  const v = secret.Versions.find((x) => x.VersionId === token);
  if (!v) return undefined;
  if (v.SecretString === value.SecretString && v.SecretBinary === value.SecretBinary) return v;
  throw new SimError(
    'ResourceExistsException',
    `You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${secret.ARN}.`,
    400,
  );
}

/** add a version and move the staging labels (AWSCURRENT -> AWSPREVIOUS on the version it leaves) */
function addVersion(secret: Secret, now: number, token: string, value: SecretValue, stages: string[]): SecretVersion {
  const labels = [...new Set(stages)];
  if (secret.Versions.length === 0 && !labels.includes('AWSCURRENT')) labels.push('AWSCURRENT');
  if (labels.includes('AWSCURRENT')) {
    const previous = secret.Versions.find((v) => v.VersionStages.includes('AWSCURRENT'));
    if (previous) {
      for (const v of secret.Versions) v.VersionStages = v.VersionStages.filter((s) => s !== 'AWSPREVIOUS');
      previous.VersionStages = [...previous.VersionStages.filter((s) => s !== 'AWSCURRENT'), 'AWSPREVIOUS'];
    }
  }
  for (const label of labels) {
    for (const v of secret.Versions) v.VersionStages = v.VersionStages.filter((s) => s !== label);
  }
  const version: SecretVersion = {
    VersionId: token,
    ...value,
    VersionStages: labels,
    CreatedDate: now,
    ClientRequestToken: token,
  };
  secret.Versions.push(version);
  while (secret.Versions.length > MAX_VERSIONS) {
    const i = secret.Versions.findIndex((v) => v.VersionStages.length === 0);
    if (i < 0) break;
    secret.Versions.splice(i, 1);
  }
  secret.LastChangedDate = now;
  return version;
}

function versionsToStages(secret: Secret): Record<string, string[]> | undefined {
  const labelled = secret.Versions.filter((v) => v.VersionStages.length > 0);
  if (labelled.length === 0) return undefined;
  return Object.fromEntries(labelled.map((v) => [v.VersionId, v.VersionStages]));
}

function describeOut(secret: Secret): Record<string, unknown> {
  return {
    ARN: secret.ARN,
    Name: secret.Name,
    Description: secret.Description,
    KmsKeyId: secret.KmsKeyId,
    LastChangedDate: epochSeconds(secret.LastChangedDate),
    LastAccessedDate: secret.LastAccessedDate === undefined ? undefined : epochSeconds(secret.LastAccessedDate),
    DeletedDate: secret.DeletedDate === undefined ? undefined : epochSeconds(secret.DeletedDate),
    Tags: secret.Tags,
    CreatedDate: epochSeconds(secret.CreatedDate),
  };
}

function valueOut(secret: Secret, v: SecretVersion): Record<string, unknown> {
  return {
    ARN: secret.ARN,
    Name: secret.Name,
    VersionId: v.VersionId,
    SecretString: v.SecretString,
    SecretBinary: v.SecretBinary,
    VersionStages: v.VersionStages,
    CreatedDate: epochSeconds(v.CreatedDate),
  };
}

/** the version GetSecretValue reads (AWSCURRENT unless told otherwise); records the access */
function readVersion(ctx: SimContext, secret: Secret, versionId?: string, stage?: string): SecretVersion {
  if (secret.DeletedDate !== undefined) throw markedForDeletion();
  let v: SecretVersion | undefined;
  if (versionId !== undefined) {
    v = secret.Versions.find((x) => x.VersionId === versionId);
    if (!v)
      throw new SimError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`,
        400,
      );
    if (stage !== undefined && !v.VersionStages.includes(stage))
      throw new SimError(
        'InvalidRequestException',
        'You provided a VersionStage that is not associated to the provided VersionId.',
        400,
      );
  } else {
    const label = stage ?? 'AWSCURRENT';
    v = secret.Versions.find((x) => x.VersionStages.includes(label));
    if (!v)
      throw new SimError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for staging label: ${label}`,
        400,
      );
  }
  // LastAccessedDate is kept to the day, as the real service reports it.
  secret.LastAccessedDate = dayOf(ctx.now());
  return v;
}

function sortSecrets(secrets: Secret[], sortBy: string, order: 'asc' | 'desc'): Secret[] {
  const key = (s: Secret): number | string => {
    switch (sortBy) {
      case 'name':
        return s.Name;
      case 'last-accessed-date':
        return s.LastAccessedDate ?? 0;
      case 'last-changed-date':
        return s.LastChangedDate;
      default:
        return s.CreatedDate;
    }
  };
  const sign = order === 'asc' ? 1 : -1;
  return [...secrets].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const c = ka < kb ? -1 : ka > kb ? 1 : a.ARN < b.ARN ? -1 : a.ARN > b.ARN ? 1 : 0;
    return c * sign;
  });
}

// ---------------------------------------------------------------- operations

type Handler = (
  ctx: SimContext,
  p: JsonParams,
  region: string,
  req?: ServiceRequest,
) => Record<string, unknown> | undefined;

const createSecret: Handler = (ctx, p, region) => {
  const name = p.requiredStr('Name');
  if (!NAME_RE.test(name))
    throw invalidParam(
      'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
    );
  const value = readValue(p, false);
  const token = readToken(p, value);
  const description = p.str('Description');
  if (description !== undefined && description.length > 2048)
    throw invalidParam('Description must be at most 2048 characters long.');
  const tags = readTags(p, 'Tags', false) ?? [];
  const kmsKeyId = p.str('KmsKeyId');

  const existing = findSecret(ctx, region, name);
  if (existing) {
    if (existing.DeletedDate !== undefined)
      throw new SimError(
        'InvalidRequestException',
        "You can't create this secret because a secret with this name is already scheduled for deletion.",
        400,
      );
    // A retry of the same request (same token, same value) answers as the first call did.
    const same = value ? versionForToken(existing, token, value) : undefined;
    if (same) return { ARN: existing.ARN, Name: existing.Name, VersionId: same.VersionId };
    throw new SimError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
  }

  const now = ctx.now();
  const secret: Secret = {
    ARN: secretArn(ctx, region, name, randomSuffix(ctx)),
    Name: name,
    Description: description,
    KmsKeyId: kmsKeyId,
    Tags: mergeTags([], tags),
    Versions: [],
    CreatedDate: now,
    LastChangedDate: now,
  };
  let versionId: string | undefined;
  if (value && token) versionId = addVersion(secret, now, token, value, ['AWSCURRENT']).VersionId;
  ctx.secrets(region)[secret.ARN] = secret;
  return { ARN: secret.ARN, Name: secret.Name, VersionId: versionId };
};

const putSecretValue: Handler = (ctx, p, region) => {
  const secret = mustFind(ctx, region, p.requiredStr('SecretId'));
  const value = readValue(p, true) as SecretValue;
  const token = readToken(p, value) as string;
  const stages = p.strList('VersionStages');
  if (stages !== undefined && (stages.length < 1 || stages.length > 20))
    throw invalidParam('VersionStages must hold 1-20 staging labels.');
  if (stages?.some((s) => s.length < 1 || s.length > 256))
    throw invalidParam('A staging label must be 1-256 characters long.');
  if (secret.DeletedDate !== undefined) throw markedForDeletion();
  const v =
    versionForToken(secret, token, value) ?? addVersion(secret, ctx.now(), token, value, stages ?? ['AWSCURRENT']);
  return { ARN: secret.ARN, Name: secret.Name, VersionId: v.VersionId, VersionStages: v.VersionStages };
};

const getSecretValue: Handler = (ctx, p, region) => {
  const secret = mustFind(ctx, region, p.requiredStr('SecretId'));
  const v = readVersion(ctx, secret, p.str('VersionId'), p.str('VersionStage'));
  return valueOut(secret, v);
};

const describeSecret: Handler = (ctx, p, region) => {
  const secret = mustFind(ctx, region, p.requiredStr('SecretId'));
  return { ...describeOut(secret), VersionIdsToStages: versionsToStages(secret) };
};

const listSecrets: Handler = (ctx, p, region) => {
  const maxResults = p.int('MaxResults', { min: 1, max: 100 }) ?? 100;
  const includeDeleted = p.bool('IncludePlannedDeletion') ?? false;
  const filters = parseFilters(p, 'Filters');
  const sortOrder = p.str('SortOrder') ?? 'desc';
  if (sortOrder !== 'asc' && sortOrder !== 'desc') throw invalidParam("SortOrder must be 'asc' or 'desc'.");
  const sortBy = p.str('SortBy') ?? 'created-date';
  if (!['created-date', 'last-accessed-date', 'last-changed-date', 'name'].includes(sortBy))
    throw invalidParam("SortBy must be one of 'created-date', 'last-accessed-date', 'last-changed-date', 'name'.");
  const candidates = Object.values(ctx.secrets(region)).filter((s) => includeDeleted || s.DeletedDate === undefined);
  // Unconfirmed: the default order. Newest first, as the console shows them.
  const sorted = sortSecrets(filterSecrets(candidates, filters), sortBy, sortOrder);
  const pg = page(sorted, maxResults, p.str('NextToken'), invalidNextToken);
  return {
    SecretList: pg.items.map((s) => ({ ...describeOut(s), SecretVersionsToStages: versionsToStages(s) })),
    NextToken: pg.nextToken,
  };
};

const batchGetSecretValue: Handler = (ctx, p, region, req) => {
  const ids = p.strList('SecretIdList');
  const filters: SecretFilter[] | undefined = p.has('Filters') ? parseFilters(p, 'Filters') : undefined;
  if ((ids === undefined) === (filters === undefined))
    throw invalidParam("Either 'SecretIdList' or 'Filters' must be provided, but not both.");
  const maxResults = p.int('MaxResults', { min: 1, max: 20 });
  if (maxResults !== undefined && !filters)
    throw invalidParam("'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.");

  const values: Array<Record<string, unknown>> = [];
  const errors: Array<Record<string, unknown>> = [];
  const read = (secretId: string, secret: Secret | undefined) => {
    try {
      // a registered IAM principal needs GetSecretValue on each secret; a denial is reported per secret
      const denied = req?.authorizeSecret?.('secretsmanager:GetSecretValue', secret?.ARN ?? secretId);
      if (denied) throw denied;
      if (!secret) throw notFound();
      values.push(valueOut(secret, readVersion(ctx, secret)));
    } catch (e) {
      if (!(e instanceof SimError)) throw e;
      errors.push({ SecretId: secretId, ErrorCode: e.code, Message: e.message });
    }
  };

  if (ids) {
    if (ids.length < 1 || ids.length > 20) throw invalidParam('SecretIdList must hold 1-20 secret ids.');
    for (const id of ids) read(id, findSecret(ctx, region, id));
    return { SecretValues: values, Errors: errors };
  }
  const candidates = Object.values(ctx.secrets(region)).filter((s) => s.DeletedDate === undefined);
  const sorted = sortSecrets(filterSecrets(candidates, filters ?? []), 'created-date', 'asc');
  const pg = page(sorted, maxResults ?? 20, p.str('NextToken'), invalidNextToken);
  for (const s of pg.items) read(s.Name, s);
  return { SecretValues: values, Errors: errors, NextToken: pg.nextToken };
};

const tagResource: Handler = (ctx, p, region) => {
  const secret = mustFind(ctx, region, p.requiredStr('SecretId'));
  const tags = readTags(p, 'Tags', true) ?? [];
  secret.Tags = mergeTags(secret.Tags, tags);
  secret.LastChangedDate = ctx.now();
  return undefined;
};

const untagResource: Handler = (ctx, p, region) => {
  const secret = mustFind(ctx, region, p.requiredStr('SecretId'));
  const keys = p.strList('TagKeys');
  if (keys === undefined) throw invalidParam('The parameter TagKeys is required.');
  secret.Tags = secret.Tags.filter((t) => !keys.includes(t.Key));
  secret.LastChangedDate = ctx.now();
  return undefined;
};

function scheduleDeletion(ctx: SimContext, region: string, arn: string, at: number): void {
  ctx.scheduler.at(at, `secret ${arn} deleted`, () => {
    const all = ctx.secrets(region);
    const s = all[arn];
    // Only if still scheduled for this instant (a restore, or a restore + new delete, cancels it).
    if (s && s.DeletedDate !== undefined && s.DeletionDate === at) delete all[arn];
  });
}

const deleteSecret: Handler = (ctx, p, region) => {
  const secretId = p.requiredStr('SecretId');
  const window = p.int('RecoveryWindowInDays');
  const force = p.bool('ForceDeleteWithoutRecovery') ?? false;
  if (window !== undefined && force)
    throw invalidParam("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
  if (window !== undefined && (window < 7 || window > 30))
    throw invalidParam('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
  const now = ctx.now();
  const secret = findSecret(ctx, region, secretId);
  if (!secret) {
    if (!force) throw notFound();
    // Force-deleting a missing secret succeeds (docs/sources.md#aws-aws). The ARN gets a made-up suffix.
    const name = secretId.startsWith('arn:') ? (secretId.split(':secret:')[1] ?? secretId) : secretId;
    const arn = secretId.startsWith('arn:') ? secretId : secretArn(ctx, region, name, randomSuffix(ctx));
    return { ARN: arn, Name: name, DeletionDate: epochSeconds(now) };
  }
  if (force) {
    // A secret already scheduled for deletion can still be force-deleted (the way to free its name at once).
    delete ctx.secrets(region)[secret.ARN];
    return { ARN: secret.ARN, Name: secret.Name, DeletionDate: epochSeconds(now) };
  }
  if (secret.DeletedDate !== undefined) throw markedForDeletion();
  const deletionDate = now + (window ?? 30) * DAY_MS;
  secret.DeletedDate = now;
  secret.DeletionDate = deletionDate;
  secret.LastChangedDate = now;
  scheduleDeletion(ctx, region, secret.ARN, deletionDate);
  return { ARN: secret.ARN, Name: secret.Name, DeletionDate: epochSeconds(deletionDate) };
};

const restoreSecret: Handler = (ctx, p, region) => {
  const secret = mustFind(ctx, region, p.requiredStr('SecretId'));
  // Restoring a secret that is not scheduled for deletion is a no-op (unconfirmed).
  if (secret.DeletedDate !== undefined) {
    secret.DeletedDate = undefined;
    secret.DeletionDate = undefined;
    secret.LastChangedDate = ctx.now();
  }
  return { ARN: secret.ARN, Name: secret.Name };
};

/**
 * UpdateSecretVersionStage (docs/sources.md#aws-aws): moves one staging label. `RemoveFromVersionId` must name the version the
 * label is on whenever it is attached to another version than `MoveToVersionId`; a mismatch fails and changes
 * nothing, which makes moving AWSCURRENT a compare-and-swap on the secret (docs/record-lock.md). Moving AWSCURRENT
 * moves AWSPREVIOUS to the version it left. The error codes follow moto (InvalidParameterException for a version
 * that does not exist or does not carry the label): the API reference lists the codes but not which case answers
 * which (unconfirmed).
 */
const updateSecretVersionStage: Handler = (ctx, p, region) => {
  const secret = mustFind(ctx, region, p.requiredStr('SecretId'));
  const stage = p.requiredStr('VersionStage');
  if (stage.length < 1 || stage.length > 256) throw invalidParam('VersionStage must be 1-256 characters long.');
  const removeFrom = p.str('RemoveFromVersionId');
  const moveTo = p.str('MoveToVersionId');
  for (const id of [removeFrom, moveTo])
    if (id !== undefined && (id.length < 32 || id.length > 64))
      throw invalidParam('A version id must be 32-64 characters long.');
  if (secret.DeletedDate !== undefined) throw markedForDeletion();
  const version = (id: string) => {
    const v = secret.Versions.find((x) => x.VersionId === id);
    if (!v) throw invalidParam(`Not a valid version: ${id}`);
    return v;
  };
  const target = moveTo === undefined ? undefined : version(moveTo);
  const holder = secret.Versions.find((v) => v.VersionStages.includes(stage));
  let source: SecretVersion | undefined;
  if (removeFrom !== undefined) {
    source = version(removeFrom);
    if (!source.VersionStages.includes(stage))
      throw invalidParam(`Version stage ${stage} not found in version ${removeFrom}`);
  } else if (holder && holder !== target) {
    throw invalidParam(
      `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder.VersionId}, so you must explicitly reference that version in RemoveFromVersionId.`,
    );
  }
  // the secret must keep a current version (unconfirmed: the code AWS answers when AWSCURRENT would be dropped)
  if (stage === 'AWSCURRENT' && !target) throw invalidParam('You can only move AWSCURRENT to another version.');
  if (source && source !== target) source.VersionStages = source.VersionStages.filter((s) => s !== stage);
  if (target && !target.VersionStages.includes(stage)) target.VersionStages = [...target.VersionStages, stage];
  if (stage === 'AWSCURRENT' && source && target && source !== target) {
    for (const v of secret.Versions) v.VersionStages = v.VersionStages.filter((s) => s !== 'AWSPREVIOUS');
    source.VersionStages = [...source.VersionStages, 'AWSPREVIOUS'];
  }
  secret.LastChangedDate = ctx.now();
  return { ARN: secret.ARN, Name: secret.Name };
};

const HANDLERS: Record<string, Handler> = {
  CreateSecret: createSecret,
  PutSecretValue: putSecretValue,
  GetSecretValue: getSecretValue,
  DescribeSecret: describeSecret,
  ListSecrets: listSecrets,
  BatchGetSecretValue: batchGetSecretValue,
  TagResource: tagResource,
  UntagResource: untagResource,
  DeleteSecret: deleteSecret,
  RestoreSecret: restoreSecret,
  UpdateSecretVersionStage: updateSecretVersionStage,
};

export const secretsManagerService: Service = {
  name: 'secretsmanager',
  handle(ctx: SimContext, req: ServiceRequest): ServiceResponse {
    const handler = HANDLERS[req.action];
    if (!handler) throw unknownOperation(req.action);
    const out = handler(ctx, new JsonParams(req.json, PROTOCOL), req.region, req);
    // TagResource / UntagResource answer with an empty body.
    if (out === undefined) return { status: 200, body: '', headers: { 'content-type': 'application/x-amz-json-1.1' } };
    return jsonOk(PROTOCOL.version, out);
  },
  renderError: (err) => jsonError(PROTOCOL, err),
  throttle: () => new SimError('ThrottlingException', 'Rate exceeded', 400),
  serverError: () => new SimError('InternalServiceError', 'An error occurred on the server side.', 500),
};
