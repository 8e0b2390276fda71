import fc from 'fast-check';
import { Sealer } from './sealed';

const SECRET = 'a-cluster-secret-of-at-least-32-bytes!';

describe('Sealer', () => {
  it('opens what it sealed, whatever the text', () => {
    const sealer = new Sealer(SECRET, 'tokens');
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => sealer.open(sealer.seal(text)) === text));
  });

  it('hides the text and never seals the same text the same way twice', () => {
    const sealer = new Sealer(SECRET, 'tokens');
    const token = '0_0123456789abcdef0123456789abcdef';
    const [a, b] = [sealer.seal(token), sealer.seal(token)];
    expect(a).not.toContain(token);
    expect(a).not.toBe(b);
  });

  it('refuses a sealed text from another secret or purpose, and any altered byte', () => {
    const sealer = new Sealer(SECRET, 'tokens');
    const sealed = sealer.seal('hello');
    expect(new Sealer(`${SECRET}x`, 'tokens').open(sealed)).toBeUndefined();
    expect(new Sealer(SECRET, 'inbox').open(sealed)).toBeUndefined();
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const raw = Buffer.from(sealed, 'base64url');
        raw[at % raw.length] ^= flip;
        return sealer.open(raw.toString('base64url')) === undefined;
      }),
    );
    expect(sealer.open('')).toBeUndefined();
    expect(sealer.open('not sealed at all')).toBeUndefined();
  });
});
