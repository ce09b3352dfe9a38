/** @type {import('jest').Config} */
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2022', keepClassNames: true }, module: { type: 'commonjs' } },
  ],
};

// `npm test`: everything that needs only Node. The fidelity checks (AWS CLI, moto_server, cfn-lint,
// `npm run package`) live in test/fidelity and run with `npm run test:fidelity` (jest.fidelity.config.js).
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/fidelity/', '<rootDir>/test/dataplane/'],
  transform,
  setupFiles: ['<rootDir>/src/polyfills.ts'],
  testTimeout: 120000,
  // the suites mostly wait on simulated time and loopback I/O, not on the CPU: more workers than cores pay off
  maxWorkers: 6,
};
