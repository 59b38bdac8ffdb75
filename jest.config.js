// ESM end to end: the project is "type": "module", so ESM-only dependencies (p-queue,
// franc) load natively at run time (tsx) and in jest (ts-jest ESM preset under
// --experimental-vm-modules). Type checking is `npm run typecheck`; ts-jest only
// transpiles, which keeps the suite fast.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: { isolatedModules: true, allowImportingTsExtensions: true, noEmit: false } }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  testTimeout: 60000,
  maxWorkers: 2,
};
