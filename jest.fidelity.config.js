/** @type {import('jest').Config} */
const base = require('./jest.config');

// Cross-checks against independent tools that exist on the CI machines (not on a laptop): the AWS CLI,
// moto_server, cfn-lint, and `serverless package` itself.
module.exports = {
  ...base,
  roots: ['<rootDir>/test/fidelity'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 600000,
  // each fault-matrix cell idles about half its time on simulated waits (time scale 1000): 4 workers keep 2 cores busy
  maxWorkers: 4,
};
