import type { AlibabaCloud, AwsCloud } from '../clouds/types';
import type { Registry } from '../registry/secrets-registry';

// What the workflow steps need from the outside world, split by need: a step declares the narrowest of these
// it works with, and its Lambda is wired (and granted) only that. The handlers in functions/ build them from
// one small client module per service.

/** the connection records (Secrets Manager), a clock and randomness: every step has these */
export interface RecordDeps {
  registry: Registry;
  now(): Date;
  randomBytes(n: number): Uint8Array;
}

/** a step that calls EC2 */
export interface AwsDeps extends RecordDeps {
  /** EC2 adapter for a region */
  aws(region: string): AwsCloud;
}

/** a step that calls the Alibaba VPC API */
export interface AlibabaDeps extends RecordDeps {
  /** Alibaba VPC adapter for a region (its credentials come from the credential chain or Secrets Manager) */
  alibaba(region: string): Promise<AlibabaCloud>;
}

/** a step that needs both clouds (preflight, tunnel health, the drift check) */
export interface Deps extends AwsDeps, AlibabaDeps {}

/** The only connection data that travels in execution state: a name, never a key. */
export interface ConnRef {
  name: string;
}
