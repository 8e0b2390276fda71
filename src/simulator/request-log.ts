export interface RecordedRequest {
  /** Request element local name, e.g. `NoOpRequest`. */
  name: string;
  /** Authenticated account address, when the token was valid. */
  account?: string;
  /** The session the request used (or the one it named, if it never got that far). */
  sessionId?: string;
  /** Simulator clock time (ms). */
  at: number;
}

const MAX_RECORDED = 10_000;

/** What reached the simulator, for assertions such as "the proxy called IMGetRoster once". */
export class RequestLog {
  private entries: RecordedRequest[] = [];

  record(entry: RecordedRequest): RecordedRequest {
    if (this.entries.length >= MAX_RECORDED) this.entries.shift();
    this.entries.push(entry);
    return entry;
  }

  list(): RecordedRequest[] {
    return this.entries.map((e) => ({ ...e }));
  }

  count(name?: string): number {
    return name === undefined ? this.entries.length : this.entries.filter((e) => e.name === name).length;
  }

  reset(): void {
    this.entries = [];
  }
}
