/** Unit specs live beside the code (src/**\/*.spec.ts, client/src/**\/*.spec.ts); e2e specs in test/. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test', '<rootDir>/client/src'],
  testRegex: '\\.(spec|e2e-spec)\\.ts$',
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        tsconfig: 'tsconfig.json',
        isolatedModules: false,
        // The swagger CLI plugin, as `nest build` applies it (see nest-cli.json).
        astTransformers: { before: ['<rootDir>/swagger-plugin.jest.js'] },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 20000,
};
