import { randomBytes } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STAGE } from '../../../src/plan/naming';
import { SecretsRegistry } from '../../../src/registry/secrets-registry';
import { NotConfigured } from '../../../src/service/errors';
import type { RecordDeps } from '../../../src/workflow/deps';
import { awsClientConfig, homeRegion } from './aws-credentials';
import { perContainer } from './container';

// Secrets Manager: the connection records (and the secrets referenced by ARN). Environment:
//   AWS_REGION                                        the registry's region
//   AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_SECRETS_MANAGER (optional) e.g. the simulator; read by the SDK
//   VPN_BRIDGE_STAGE                                  the deployment stage: part of every record's name and tags

const ENV = ['AWS_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_SECRETS_MANAGER', 'VPN_BRIDGE_STAGE'] as const;

/** VPN_BRIDGE_STAGE (serverless.yml sets it to the deployment's stage) */
export function stage(): string {
  const s = process.env.VPN_BRIDGE_STAGE ?? 'dev';
  if (!STAGE.test(s))
    throw new NotConfigured(
      `VPN_BRIDGE_STAGE must be 1-16 characters: a lowercase letter, then lowercase letters, digits or hyphens; got '${s}'`,
    );
  return s;
}

export const secretsManager = perContainer(ENV, () => new SecretsManagerClient(awsClientConfig(homeRegion())));

/** the records, a clock and randomness: what every step has */
export const recordDeps = perContainer(
  ENV,
  (): RecordDeps => ({
    registry: new SecretsRegistry(secretsManager(), stage()),
    now: () => new Date(),
    randomBytes: (n) => randomBytes(n),
  }),
);
