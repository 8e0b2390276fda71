/** Unit specs live beside the code (src/**\/*.spec.ts); e2e specs in test/. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
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
    // ESM-only packages in @fastify/static's tree (used by GET /docs): compiled to CommonJS for Jest,
    // whose require() cannot load ES modules on Node 20.
    '^.+/node_modules/content-disposition/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs' }, isolatedModules: true }],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 20000,
};
