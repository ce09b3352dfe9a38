/** @type {import('jest').Config} */
const base = require('./jest.config');

// Cross-checks against independent tools that exist on the CI machines (not on a laptop): the AWS CLI,
// moto_server, cfn-lint, and `serverless package` itself.
module.exports = {
  ...base,
  roots: ['<rootDir>/test/fidelity'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 600000,
  maxWorkers: 2,
};
