import { Parser } from '@asyncapi/parser';
import { COMMAND_OPS } from '../src/events/client-frames';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_TYPES } from '../src/link/events';

/** openapi/asyncapi.yaml is valid AsyncAPI and documents exactly the events the code can emit. */
describe('AsyncAPI document for /v1/events', () => {
  let document: NonNullable<Awaited<ReturnType<Parser['parse']>>['document']>;
  let diagnostics: Awaited<ReturnType<Parser['parse']>>['diagnostics'];

  beforeAll(async () => {
    const result = await new Parser().parse(readFileSync(join(__dirname, '..', 'openapi', 'asyncapi.yaml'), 'utf8'));
    diagnostics = result.diagnostics;
    if (!result.document) throw new Error(`invalid AsyncAPI: ${JSON.stringify(diagnostics.filter((d) => d.severity === 0))}`);
    document = result.document;
  });

  it('parses without errors or warnings', () => {
    // Severity 0 = error, 1 = warning.
    expect(diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
  });

  function sentTypes(): string[] {
    const operation = document.operations().get('sendEvents');
    return operation!.messages().all().map((m) => {
      const payload = m.payload()!.json() as { properties?: { type?: { const?: string } }; allOf?: { properties?: { type?: { const?: string } } }[] };
      return payload.properties?.type?.const ?? payload.allOf?.map((p) => p.properties?.type?.const).find(Boolean) ?? '?';
    });
  }

  it('documents every event type the code can emit, and no other', () => {
    const documented = sentTypes().filter((t) => !['ready', 'pong', 'error', 'ack'].includes(t));
    expect([...documented].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('documents the control frames (ready, pong, error, ack), the client ops subscribe and ping, and every command', () => {
    expect(sentTypes()).toEqual(expect.arrayContaining(['ready', 'pong', 'error', 'ack']));
    const received = document.operations().get('receiveClientFrames')!.messages().all().map((m) => (m.payload()!.json() as any).properties.op.const);
    expect(received.sort()).toEqual(['ping', 'subscribe', ...COMMAND_OPS].sort());
  });
});
