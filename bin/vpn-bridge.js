#!/usr/bin/env node
// The vpn-bridge CLI. The sources are TypeScript; tsx compiles them on the fly (and caches the result).
require('tsx/cjs');
require('../local/cli.ts')
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
    // a finished command ends the process even if a client left a socket or timer behind (unref: never earlier)
    setTimeout(() => process.exit(code), 3000).unref();
  });
