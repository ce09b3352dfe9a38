#!/usr/bin/env node
// `npm run bench`: bench/run.ts through tsx (see README "Benchmarks").
require('tsx/cjs');
require('../bench/run.ts');
