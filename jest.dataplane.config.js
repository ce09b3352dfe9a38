/** @type {import('jest').Config} */
const base = require('./jest.config');

// Real IKE daemons in network namespaces (root, the strongSwan packages): `npm run test:dataplane`.
module.exports = {
  ...base,
  roots: ['<rootDir>/test/dataplane'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 900000,
  maxWorkers: 1,
};
