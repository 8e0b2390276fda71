const DAY_MS = 86_400_000;
/** The range of a JavaScript Date (ECMA-262 §21.4.1.1). */
const MAX_TIME_MS = 8.64e15;

/** The date part (`2026-12-02T`) of the day last formatted: consecutive timestamps mostly share it. */
let memoDay = Number.NaN;
let memoDatePart = '';

/**
 * `new Date(ms).toISOString()` for an integer `ms` in a Date's range, at a sixth of its cost: the
 * date part is formatted once per day seen, the time of day by arithmetic. Every history message and
 * every event carries one of these.
 */
export function isoTime(ms: number): string {
  if (!Number.isInteger(ms) || Math.abs(ms) > MAX_TIME_MS) return new Date(ms).toISOString(); // throws RangeError as Date does
  const day = Math.floor(ms / DAY_MS);
  if (day !== memoDay) {
    const iso = new Date(day * DAY_MS).toISOString();
    memoDatePart = iso.slice(0, iso.indexOf('T') + 1);
    memoDay = day;
  }
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  const iso = `${memoDatePart}${two(hours)}:${two(minutes)}:${two(seconds)}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
  // V8 keeps a template's result as a tree of its parts (a "cons string", about 300 B for these)
  // until something reads it whole. Events keep their timestamps for long — the event log, offline
  // delivery's queues — so it is flattened here, to about 50 B, for some 25 ns.
  iso.charCodeAt(0);
  return iso;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}
