import { onTheWire, replyElement as body, upstreamErrorOf } from '../soap/testing/wire';
import { getInfoRequest, readAccountName } from './account';

describe('GetInfoRequest', () => {
  it('asks for the mailbox section only', () => {
    expect(onTheWire(getInfoRequest())).toBe('<GetInfoRequest xmlns="urn:zimbraAccount" sections="mbox"/>');
  });

  it('reads the primary name, in lower case, among whatever else the reply carries', () => {
    const reply = body(`
      <GetInfoResponse xmlns="urn:zimbraAccount">
        <version>8.8.15</version><id>6d2b7c1e-0000-4000-8000-000000000001</id>
        <name>Alice@Example.com</name><lifetime>172799998</lifetime><used>0</used>
      </GetInfoResponse>`);
    expect(readAccountName(reply)).toBe('alice@example.com');
  });

  it('refuses a reply without a usable name (a bad response, not an empty account)', () => {
    for (const xml of ['<GetInfoResponse xmlns="urn:zimbraAccount"/>', '<GetInfoResponse xmlns="urn:zimbraAccount"><name>alice</name></GetInfoResponse>']) {
      expect(upstreamErrorOf(() => readAccountName(body(xml))).code).toBe('upstream.BAD_RESPONSE');
    }
  });
});
