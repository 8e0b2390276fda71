/** Unit specs live beside the code (src/**\/*.spec.ts); e2e specs in test/. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 20000,
};
