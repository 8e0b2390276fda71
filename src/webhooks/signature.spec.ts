import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { sessionOf, webhookId, payloadBody } from './payload';
import { sign, Signer } from './signature';

const secretOf = (bytes: Uint8Array) => `whsec_${Buffer.from(bytes).toString('base64')}`;
const secret = fc.uint8Array({ minLength: 24, maxLength: 64 }).map(secretOf);

describe('Standard Webhooks signature', () => {
  it('is what the standardwebhooks package computes and verifies, for any id, time and body', () => {
    fc.assert(
      fc.property(secret, fc.string({ minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 4_000_000_000 }), fc.string({ unit: 'binary', maxLength: 300 }), (whsec, id, seconds, body) => {
        const reference = new Webhook(whsec);
        const key = Buffer.from(whsec.slice('whsec_'.length), 'base64');
        expect(sign(key, id, seconds, body)).toBe(reference.sign(id, new Date(seconds * 1000), body));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('signs with every secret while rotating: a receiver holding either one verifies', () => {
    fc.assert(
      fc.property(secret, secret, fc.json(), (old, next, body) => {
        const headers = new Signer([old, next]).headers('s.e1', body);
        expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
        for (const held of [old, next]) expect(new Webhook(held).verify(body, { ...headers })).toEqual(JSON.parse(body));
      }),
      { seed: 7, numRuns: 50 },
    );
  });

  it('stamps each attempt with its own time (seconds), so a retry is not refused as a replay', () => {
    const signer = new Signer([`whsec_${Buffer.alloc(32, 9).toString('base64')}`]);
    const first = signer.headers('id', '{}', 1_700_000_000_999);
    const retry = signer.headers('id', '{}', 1_700_000_060_000);
    expect([first['webhook-timestamp'], retry['webhook-timestamp']]).toEqual(['1700000000', '1700000060']);
    expect(retry['webhook-signature']).not.toBe(first['webhook-signature']);
  });
});

describe('payload', () => {
  it('names a token\'s session by an opaque 22-character id: stable, distinct per token, holding nothing of the token', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 16, maxLength: 200 }), fc.string({ minLength: 16, maxLength: 200 }), (a, b) => {
        fc.pre(a !== b);
        expect(sessionOf(a)).toBe(sessionOf(a));
        expect(sessionOf(a)).toMatch(/^[A-Za-z0-9_-]{22}$/);
        expect(sessionOf(a)).not.toBe(sessionOf(b));
        expect(sessionOf(a)).not.toContain(a.slice(0, 8));
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  it('is the events as a socket gets them, under the batch\'s id made of the session and the first event\'s id', () => {
    const events = [
      { id: 'mf3k2a.7', type: 'message' as const, at: '2026-01-02T03:04:05.000Z', data: { thread: 't', from: 'b@x', seq: 1, sentAt: '2026-01-02T03:04:05.000Z', text: 'hi' } },
      { id: 'mf3k2a.8', type: 'subscriptionRequest' as const, at: '2026-01-02T03:04:06.000Z', data: { from: 'c@x' } },
    ];
    expect(webhookId('S', events)).toBe('S.mf3k2a.7');
    expect(JSON.parse(payloadBody('a@x', 'S', events))).toEqual({ type: 'imbridge.events', account: 'a@x', session: 'S', events });
  });
});
