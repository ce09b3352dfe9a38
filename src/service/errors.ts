import { VpnBridgeError } from '../errors';

/** a deployment setting the operation needs is missing (e.g. the drift-check state machine ARN): HTTP 503 */
export class NotConfigured extends VpnBridgeError {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'NotConfigured';
  }
}
