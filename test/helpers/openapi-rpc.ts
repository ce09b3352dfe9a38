import OpenApi, { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';
import { type AlibabaRpc, camelize } from '../../src/clouds/alibaba/rpc-client';

// Test helper: the Alibaba VPC API (2016-04-28) through @alicloud/openapi-core, the official runtime, as the product
// called it before it got its own client (src/clouds/alibaba/rpc-client.ts). The simulator's tests use it as "the SDK
// runtime", and the product's client is checked against it. Below, the original description:
//
// The Alibaba VPC API (2016-04-28) through @alicloud/openapi-core, the official runtime that
// @alicloud/vpc20160428 itself is generated on. The generated SDK carries ~400 request/response model
// classes (2.8 MB minified, ~0.4 s to import on a cold Lambda) to make the twenty-odd calls vpn-bridge
// needs; this client makes the same requests the SDK makes (RPC style, POST, query string + form body,
// ACS3-HMAC-SHA256 signing, the same endpoint resolution and errors) without the models. The simulator's
// own tests drive the full SDK, so both paths are exercised on the wire.

/** drop undefined values (the SDK never sends absent parameters) */
function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export class OpenApiRpcClient extends OpenApi implements AlibabaRpc {
  constructor(config: $OpenApiUtil.Config) {
    super(config);
    this._endpointRule = 'regional';
    this.checkConfig(config);
    if (!this._endpoint) {
      this._endpoint = OpenApiUtil.getEndpointRules(
        'vpc',
        this._regionId,
        this._endpointRule,
        this._network,
        this._suffix,
      );
    }
  }

  async call(
    action: string,
    params: Record<string, unknown>,
    bodyParams?: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const req = new $OpenApiUtil.OpenApiRequest({
      query: OpenApiUtil.query(defined(params)),
      body: bodyParams ? OpenApiUtil.parseToMap(OpenApiUtil.query(defined(bodyParams))) : undefined,
    });
    const p = new $OpenApiUtil.Params({
      action,
      version: '2016-04-28',
      protocol: 'HTTPS',
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    const r = (await this.callApi(p, req, new $dara.RuntimeOptions({}))) as { body?: unknown };
    return (camelize(r.body ?? {}) ?? {}) as Record<string, unknown>;
  }
}
