/**
 * Small, total conversions from upstream attribute strings to JSON values. None of them throws:
 * whatever the upstream writes, the result has the documented type.
 */

/** Wire booleans: `1`/`true` (any case, surrounding blanks ignored) are true; anything else, or absence, is false. */
export function wireBool(value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.trim().toLowerCase();
  return v === '1' || v === 'true';
}

/** Comma-joined lists (`groups`, MUC `status`/`error` names): split, trimmed, empties dropped, duplicates dropped. */
export function commaList(value: string | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  for (const part of value.split(',')) {
    const item = part.trim();
    if (item && !out.includes(item)) out.push(item);
  }
  return out;
}

/** The value when it is a non-empty string, else undefined (so optional fields are omitted, never `""`). */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** `local@domain/resource` → `local@domain`. Only for real addresses, never for room nicknames. */
export function bareAddress(value: string): string {
  const slash = value.indexOf('/');
  return slash < 0 ? value : value.slice(0, slash);
}

/** A non-negative decimal integer (`"30000"`, `" 7 "`), else undefined. Rejects signs, fractions, exponents, overflow. */
export function nonNegativeInt(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // Plain digits, as every seq and ts the upstream writes: read here, without trimming or a regular expression.
  if (value.length > 0 && value.length <= 15) {
    let n = 0;
    for (let i = 0; i < value.length; i++) {
      const digit = value.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) {
        n = -1;
        break;
      }
      n = n * 10 + digit;
    }
    if (n >= 0) return n;
  }
  const v = value.trim();
  if (!/^\d{1,15}$/.test(v)) return undefined;
  return Number(v);
}
