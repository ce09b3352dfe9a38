import type { AlibabaCloud, AwsCloud } from '../clouds/types';
import type { Registry } from '../registry/secrets-registry';

/** What the workflow steps need from the outside world; Lambda handlers wire the SDK adapters in. */
export interface Deps {
  registry: Registry;
  /** EC2 adapter for a region */
  aws(region: string): AwsCloud;
  /** Alibaba VPC adapter for a region (credentials come from Secrets Manager) */
  alibaba(region: string): Promise<AlibabaCloud>;
  now(): Date;
  randomBytes(n: number): Uint8Array;
}

/** The only connection data that travels in execution state: a name, never a key. */
export interface ConnRef {
  name: string;
}
