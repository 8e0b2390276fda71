// Writes TypeScript types for an OpenAPI document with openapi-typescript's programmatic API and its
// default options, as a client project would generate them. An ES module run as its own process:
// openapi-typescript's dependencies are ES modules, which Jest's module loader cannot require.
// Usage: node generate-types.mjs <openapi.json> <out.ts>
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const [documentPath, outPath] = process.argv.slice(2);
const ast = await openapiTS(pathToFileURL(documentPath));
writeFileSync(outPath, `// Generated from ${documentPath.split('/').slice(-2).join('/')} by openapi-typescript; not checked in.\n${astToString(ast)}`);
