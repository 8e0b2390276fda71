/**
 * The @nestjs/swagger CLI plugin as a ts-jest AST transformer, with the options nest-cli.json gives
 * it, so the tests see the same OpenAPI metadata as the built service.
 */
const plugin = require('@nestjs/swagger/plugin');
const nestCli = require('./nest-cli.json');

const { options } = nestCli.compilerOptions.plugins.find((p) => p.name === '@nestjs/swagger');

module.exports = {
  name: 'nestjs-swagger-transformer',
  // Part of ts-jest's cache key: changed plugin options recompile the files they affect.
  version: `1:${JSON.stringify(options)}`,
  factory: (compiler) => plugin.before(options, compiler.program),
};
