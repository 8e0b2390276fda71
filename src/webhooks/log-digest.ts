type Format = (count: number, detail: string) => string;

interface Kind {
  /** Occurrences since the last line written. */
  count: number;
  /** The latest one's detail (a status, an error). */
  detail: string;
  /** No line of this kind before then. */
  nextAt: number;
  format: Format;
}

/**
 * Warnings about things that may happen per event (drops, a failing receiver), written at most once
 * per interval and kind: the first at once, later ones summed into the next line, so a receiver that
 * stays down cannot flood the log.
 */
export class LogDigest {
  private readonly kinds = new Map<string, Kind>();
  private readonly flusher: NodeJS.Timeout;

  constructor(
    private readonly write: (line: string) => void,
    private readonly intervalMs = 60_000,
  ) {
    this.flusher = setInterval(() => this.flush(), intervalMs);
    this.flusher.unref();
  }

  /** `count` more of `kind`; `format` makes the line from the total since the last line and the latest detail. */
  note(kind: string, count: number, detail: string, format: Format, now = Date.now()): void {
    const entry = this.kinds.get(kind) ?? { count: 0, detail, nextAt: 0, format };
    entry.count += count;
    entry.detail = detail;
    entry.format = format;
    this.kinds.set(kind, entry);
    if (now >= entry.nextAt) this.emit(entry, now);
  }

  /** Writes what was held back; called every interval and at shutdown. */
  flush(now = Date.now()): void {
    for (const entry of this.kinds.values()) if (entry.count > 0 && now >= entry.nextAt) this.emit(entry, now);
  }

  stop(): void {
    clearInterval(this.flusher);
    for (const entry of this.kinds.values()) if (entry.count > 0) this.emit(entry, Date.now());
  }

  private emit(entry: Kind, now: number): void {
    this.write(entry.format(entry.count, entry.detail));
    entry.count = 0;
    entry.nextAt = now + this.intervalMs;
  }
}
