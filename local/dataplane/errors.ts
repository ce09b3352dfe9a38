// Errors of the dataplane harness. Names are set explicitly (minifiers rename classes).

/** this machine cannot run the harness: what is missing and how to get it */
export class DataplaneUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataplaneUnavailable';
  }
}

/** a step of the harness failed (a command, a daemon, a bounded wait) */
export class DataplaneFailed extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DataplaneFailed';
  }
}
