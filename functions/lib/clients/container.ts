import { invocationRole } from './aws-credentials';

// Module-scope clients: built once per process (a Lambda container) on first use and reused by every later
// invocation. The local wiring hosts every function in one process and may point it at another simulator, so a
// cached value is keyed by the environment variables it was built from; `newContainer()` drops every cached value,
// which is what a cold start does (fresh clients, fresh SDK retry quotas).

let container = 0;

/** forget every cached client, as a new Lambda container would */
export function newContainer(): void {
  container++;
}

/**
 * Which container this is, for values a function reads with its own permissions (a secret's value): in Lambda the
 * process, so the generation alone; a host that runs several functions in one process (the local runner) tells
 * its functions apart by the invocation's role, so no function uses what another one read.
 */
export function containerIdentity(): string {
  return `${container}|${invocationRole.getStore()?.accessKeyId ?? ''}`;
}

/** `build()` once per combination of the named environment variables (and container) */
export function perContainer<T>(vars: readonly string[], build: () => T): () => T {
  let key: string | undefined;
  let value: T | undefined;
  return () => {
    const k = JSON.stringify([container, ...vars.map((v) => process.env[v] ?? '')]);
    if (value === undefined || key !== k) {
      value = build();
      key = k;
    }
    return value;
  };
}
