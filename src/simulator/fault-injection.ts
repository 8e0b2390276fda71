/** Test-controlled misbehaviour: what the next matching request(s) get instead of a normal answer. */
export type InjectedBehaviour =
  | { kind: 'fault'; code: string; message: string; side?: 'sender' | 'receiver' }
  | { kind: 'http'; status: number; body?: string }
  | { kind: 'garbage'; body: string }
  | { kind: 'reset' }
  /** Handles the request (its notifications move to "sent"), then resets the connection: the reply is lost. */
  | { kind: 'lostReply' }
  /** Holds the request for `ms`, then answers it normally. */
  | { kind: 'stall'; ms: number }
  /** Answers normally, but only the headers at once: then the body one byte every `everyMs`. */
  | { kind: 'drip'; everyMs: number };

export type InjectedFault = InjectedBehaviour & {
  /** Request element local name, e.g. `IMGetRosterRequest`; any request when absent. */
  request?: string;
  /** Authenticated account address; any (including none) when absent. */
  account?: string;
  /** How many matching requests it applies to (default 1; Infinity for all). */
  times?: number;
};

export class FaultInjector {
  private rules: { rule: InjectedFault; remaining: number }[] = [];

  add(rule: InjectedFault): void {
    this.rules.push({ rule, remaining: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule matching this request, consuming one use of it. */
  take(request: string | undefined, account: string | undefined): InjectedBehaviour | undefined {
    const entry = this.rules.find(
      ({ rule }) =>
        (rule.request === undefined || rule.request === request) &&
        (rule.account === undefined || rule.account.toLowerCase() === account),
    );
    if (!entry) return undefined;
    if (--entry.remaining <= 0) this.rules = this.rules.filter((r) => r !== entry);
    return entry.rule;
  }
}
