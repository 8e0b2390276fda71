import fc from 'fast-check';
import { newKey } from './keys';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newKey', () => {
  it('is the platform\'s random UUID where there is one', () => {
    expect(newKey()).toMatch(UUID_V4);
    expect(newKey()).not.toBe(newKey());
  });

  it('makes a version-4 UUID from getRandomValues where randomUUID is missing (a page served over plain http)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const key = newKey({ getRandomValues: (array) => (array.set(bytes), array) });
        expect(key).toMatch(UUID_V4);
        // Every random bit but the six the version and variant fix comes through.
        const hex = key.replace(/-/g, '');
        const back = Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
        back[6] = (back[6] & 0x0f) | (bytes[6] & 0xf0);
        back[8] = (back[8] & 0x3f) | (bytes[8] & 0xc0);
        expect(Array.from(back)).toEqual(Array.from(bytes));
      }),
    );
  });
});
