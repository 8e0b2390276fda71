import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as ts from 'typescript';
import { openApiContract } from './support/openapi-contract';
import { startStack, type Stack, TEST_ACCOUNTS } from './support/stack';

/**
 * A client generated from openapi/openapi.json, as a client developer would make one: types by
 * openapi-typescript (default options), calls by openapi-fetch. test/generated-client/readme-flow.ts
 * does the README's flows with them; here the types are generated afresh, the flow is type-checked
 * against them (no casts, no `any`, no non-null assertions allowed), then run against a stack with
 * every answer checked against the document.
 */
const DIR = join(__dirname, 'generated-client');
const TYPES = join(DIR, 'openapi-types.ts');
const FLOW = join(DIR, 'readme-flow.ts');
/** Where the compiled flow goes (not checked in). */
const BUILD = join(DIR, 'build');
const DOCUMENT = join(__dirname, '..', 'openapi', 'openapi.json');

/** The flow module's shape, as far as this spec uses it (the flow's own types need the generated file). */
interface FlowModule {
  readmeFlow(options: {
    baseUrl: string;
    alice: { account: string; password: string };
    bob: { account: string; password: string };
    room: string;
    fetch?: (request: Request) => Promise<Response>;
  }): Promise<{
    session: { token: string; account: string; expiresAt: string };
    bobAtAlice: { address: string; subscription: string; presence?: { show: string; status?: string } };
    chat: { sent: Array<{ thread: string; seq: number }>; pages: Array<{ seqs: number[]; texts: string[]; hasMore: boolean }> };
    room: { joined: { thread: string; created: boolean }; read: { settings: Record<string, unknown> }; readAgain: { settings: Record<string, unknown> } };
    afterLogout: { status: number; code: string };
  }>;
}

function diagnosticsOf(program: ts.Program): string[] {
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName.slice(DIR.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
    return `${where} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

/** Casts, `any` and non-null assertions in a file: what a typed client should not need. */
function escapesFromTypes(file: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const line = () => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
    if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) found.push(`line ${line()}: a cast (${node.getText(file).slice(0, 60)})`);
    if (ts.isNonNullExpression(node)) found.push(`line ${line()}: a non-null assertion (${node.getText(file).slice(0, 60)})`);
    if (node.kind === ts.SyntaxKind.AnyKeyword) found.push(`line ${line()}: any`);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('a client generated from openapi/openapi.json', () => {
  let files: string[];
  let diagnostics: string[];

  beforeAll(async () => {
    rmSync(TYPES, { force: true });
    rmSync(BUILD, { recursive: true, force: true });
    await promisify(execFile)(process.execPath, [join(DIR, 'generate-types.mjs'), DOCUMENT, TYPES], { cwd: DIR });
    // One compilation: its diagnostics are the type-check, its output is what runs below.
    const config = ts.getParsedCommandLineOfConfigFile(join(DIR, 'tsconfig.json'), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, ' '));
      },
    });
    if (!config) throw new Error('no tsconfig for the generated client');
    files = config.fileNames;
    const program = ts.createProgram(files, { ...config.options, noEmit: false, outDir: BUILD, sourceMap: false });
    diagnostics = diagnosticsOf(program);
    program.emit();
  }, 120_000);

  it('type-checks the README flows written with openapi-fetch against the generated types', () => {
    expect(files.sort()).toEqual([TYPES, FLOW].sort());
    expect(diagnostics).toEqual([]);
  });

  it('needs no casts, no any and no non-null assertions', () => {
    const file = ts.createSourceFile(FLOW, ts.sys.readFile(FLOW) ?? '', ts.ScriptTarget.ES2022, true);
    expect(escapesFromTypes(file)).toEqual([]);
    // The check itself: it finds each of them.
    const sample = ts.createSourceFile('x.ts', 'const a = b as string; const c = d!; let e: any; const f = <number>g;', ts.ScriptTarget.ES2022, true);
    expect(escapesFromTypes(sample)).toHaveLength(4);
  });

  describe('run against a stack', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack();
    });
    afterAll(() => stack.close());

    it('logs in, adds and accepts a contact, sees presence, chats, pages the history, sends room settings back, logs out', async () => {
      let checked = 0;
      // Every answer the generated client gets is held to the document, as the Api helper does.
      const checkedFetch = async (request: Request): Promise<Response> => {
        const response = await fetch(request);
        const text = await response.clone().text();
        const contentType = response.headers.get('content-type');
        const url = new URL(request.url);
        openApiContract().assert(request.method, url.pathname + url.search, {
          status: response.status,
          contentType,
          body: text && /json/.test(contentType ?? '') ? JSON.parse(text) : text,
        });
        checked++;
        return response;
      };
      // The compiled flow, by a computed path: the project's own type-check leaves this directory (and its generated file) alone.
      const { readmeFlow } = (await import(join(BUILD, 'readme-flow.js'))) as FlowModule;
      const [alice, bob] = ['alice', 'bob'].map((local) => TEST_ACCOUNTS.find((a) => a.address === `${local}@example.com`)!);

      const result = await readmeFlow({
        baseUrl: stack.url,
        alice: { account: alice.address, password: alice.password },
        bob: { account: bob.address, password: bob.password },
        room: 'readme@conference.example.com',
        fetch: checkedFetch,
      });

      expect(result.session).toMatchObject({ account: alice.address, token: expect.any(String) });
      expect(result.bobAtAlice).toMatchObject({ address: bob.address, subscription: 'to', presence: { show: 'away', status: 'lunch' } });

      const { sent, pages } = result.chat;
      expect(sent.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(new Set(sent.map((m) => m.thread)).size).toBe(1);
      expect(pages).toEqual([
        { seqs: [4, 5], texts: ['the usual place', 'see you'], hasMore: true },
        { seqs: [2, 3], texts: ['yes!', 'or 1?'], hasMore: true },
        { seqs: [1], texts: ['lunch at 12?'], hasMore: false },
      ]);

      expect(result.room.joined).toMatchObject({ thread: 'readme', created: true });
      expect(result.room.read.settings).toMatchObject({ admins: [], subject: '' });
      expect(result.room.readAgain.settings).toEqual(result.room.read.settings);

      expect(result.afterLogout).toMatchObject({ status: 401, code: 'auth.REQUIRED' });
      expect(checked).toBeGreaterThanOrEqual(20);
    }, 60_000);
  });
});
