import { randomUUID } from 'node:crypto';
import { failure, invalidAddress } from './faults';

export interface Account {
  id: string;
  /** Primary name, lower-case `local@domain`. */
  name: string;
  password: string;
  domain: string;
}

/** The account directory: who exists, and how IM addresses resolve through it (§11). */
export class AccountDirectory {
  private readonly byNameMap = new Map<string, Account>();
  private readonly byIdMap = new Map<string, Account>();

  constructor(private readonly configuredDefaultDomain?: string) {}

  add(address: string, password: string): Account {
    const name = address.trim().toLowerCase();
    const at = name.indexOf('@');
    if (at <= 0 || at !== name.lastIndexOf('@') || at === name.length - 1) {
      throw new Error(`account address must be local@domain: ${address}`);
    }
    const existing = this.byNameMap.get(name);
    if (existing) {
      existing.password = password;
      return existing;
    }
    const account: Account = { id: randomUUID(), name, password, domain: name.slice(at + 1) };
    this.byNameMap.set(name, account);
    this.byIdMap.set(account.id, account);
    return account;
  }

  get defaultDomain(): string {
    return this.configuredDefaultDomain ?? this.byNameMap.values().next().value?.domain ?? 'example.com';
  }

  byId(id: string): Account | undefined {
    return this.byIdMap.get(id);
  }

  /** Provisioning lookup by name: a name without `@` gets the default domain. */
  byName(name: string): Account | undefined {
    const key = name.trim().toLowerCase();
    return this.byNameMap.get(key.includes('@') ? key : `${key}@${this.defaultDomain}`);
  }

  /**
   * IMSubscribe/IMSendMessage address resolution (§11): a local account (also a bare local part
   * through the default domain) gives its primary name; otherwise anything with an `@` after
   * position 0 is used as given, and the rest is im.INVALID_ADDRESS.
   */
  resolveImAddress(addr: string): string {
    const local = this.byName(addr);
    if (local) return local.name;
    if (addr.indexOf('@') <= 0) throw invalidAddress(addr);
    if (/\s/.test(addr) || addr.indexOf('@') !== addr.lastIndexOf('@') || addr.endsWith('@')) {
      // A malformed JID surfaces as an IllegalArgumentException from the XMPP address parser.
      throw failure(`java.lang.IllegalArgumentException: Illegal JID: ${addr}`);
    }
    return addr;
  }
}
