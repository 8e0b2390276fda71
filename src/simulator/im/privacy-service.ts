import type { Persona } from './persona';
import { privacyN, type PrivacyList } from './privacy';

/**
 * The XMPP privacy-list round trips (§12.10, §13.11): a fetch answers later with a `privacy`
 * notification to every listener of the persona; nothing travels while the persona is offline.
 */
export class PrivacyService {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();

  constructor(private readonly delayMs: number) {}

  /**
   * IMGetPrivacyList, IMGetRoster, connecting, pushes. Without a name: the default list, or an
   * empty `default` when there is none. A named list that does not exist gets an XMPP error,
   * which the server drops: nothing arrives.
   */
  fetch(persona: Persona, name?: string): void {
    if (!persona.online) return;
    const deliver = () => {
      if (!persona.online) return;
      const list = name === undefined ? persona.privacy.defaultList() ?? { name: 'default', items: [] } : persona.privacy.get(name);
      if (list) persona.postToListeners(privacyN(list));
    };
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      deliver();
    }, this.delayMs);
    timer.unref();
    this.pending.set(timer, deliver);
  }

  /**
   * IMSetPrivacyList: the list goes to the XMPP server (only over a live connection, so an
   * offline persona's set is lost); the server's push then makes the persona re-fetch its default.
   */
  set(persona: Persona, list: Omit<PrivacyList, 'name'> & { name?: string }): void {
    if (!persona.online) return;
    const name = list.name ?? persona.privacy.defaultName ?? 'default';
    persona.privacy.put({ name, items: list.items });
    this.fetch(persona);
  }

  /** Answers every fetch still in flight now. */
  flush(): void {
    const due = [...this.pending];
    this.pending.clear();
    for (const [timer, deliver] of due) {
      clearTimeout(timer);
      deliver();
    }
  }

  stop(): void {
    for (const timer of this.pending.keys()) clearTimeout(timer);
    this.pending.clear();
  }
}
