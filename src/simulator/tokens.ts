import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type TokenCheck =
  | { status: 'valid'; accountId: string; expires: number }
  | { status: 'expired'; accountId: string }
  | { status: 'invalid' };

/**
 * Zimbra-style auth tokens `<keyVersion>_<hmac-hex>_<hex data>` (§7). The data is the
 * `key=len:value;` encoding the real server uses; the HMAC key is random per simulator, so tokens
 * from another simulator instance (or a restart) are forged as far as this one is concerned.
 */
export class TokenService {
  private readonly key = randomBytes(32);

  constructor(private readonly lifetimeMs: number) {}

  issue(accountId: string, nowMs: number): { token: string; expires: number } {
    const expires = nowMs + this.lifetimeMs;
    const data = encode({ id: accountId, exp: String(expires), type: 'zimbra' });
    const hex = Buffer.from(data, 'utf8').toString('hex');
    return { token: `0_${this.mac(hex)}_${hex}`, expires };
  }

  check(token: string, nowMs: number): TokenCheck {
    const parts = token.trim().split('_');
    if (parts.length !== 3 || parts[0] !== '0' || !/^[0-9a-f]+$/i.test(parts[2])) return { status: 'invalid' };
    const expected = Buffer.from(this.mac(parts[2]), 'hex');
    const given = Buffer.from(/^[0-9a-f]+$/i.test(parts[1]) ? parts[1] : '', 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: 'invalid' };
    const fields = decode(Buffer.from(parts[2], 'hex').toString('utf8'));
    const expires = Number(fields?.exp);
    if (!fields?.id || !Number.isFinite(expires)) return { status: 'invalid' };
    if (expires <= nowMs) return { status: 'expired', accountId: fields.id };
    return { status: 'valid', accountId: fields.id, expires };
  }

  private mac(hexData: string): string {
    return createHmac('sha1', this.key).update(hexData).digest('hex');
  }
}

function encode(fields: Record<string, string>): string {
  return Object.entries(fields).map(([k, v]) => `${k}=${v.length}:${v};`).join('');
}

function decode(data: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const eq = data.indexOf('=', i);
    const colon = data.indexOf(':', eq);
    if (eq < 0 || colon < 0) return undefined;
    const len = Number(data.slice(eq + 1, colon));
    if (!Number.isInteger(len) || len < 0) return undefined;
    out[data.slice(i, eq)] = data.slice(colon + 1, colon + 1 + len);
    i = colon + 1 + len;
    if (data[i] !== ';') return undefined;
    i++;
  }
  return out;
}
