import type { Affiliation, Role } from './chat';
import { defaultConfig, isOn, type ConfigValues } from './room-config';

export interface Occupant {
  nick: string;
  /** The occupant's bare address. */
  address: string;
  role: Role;
  affiliation: Affiliation;
}

/** The resource every simulated persona connects with; shows in `fulladdr` (§13.6). */
export const RESOURCE = 'zcs';

/** One MUC room of the simulated conference service (XEP-0045 as §12.9 and §13.6 see it). */
export class Room {
  /** Keyed by lower-cased nickname. */
  readonly occupants = new Map<string, Occupant>();
  /** owner/admin/member/outcast by lower-cased bare address. */
  readonly affiliations = new Map<string, Affiliation>();
  readonly config: ConfigValues;
  /** A new room stays locked until its owner configures it (XEP-0045 §10.1). */
  locked = true;

  constructor(readonly addr: string, readonly createdAt: number) {
    this.config = defaultConfig(this.local);
  }

  get local(): string {
    return this.addr.slice(0, this.addr.indexOf('@'));
  }

  get service(): string {
    return this.addr.slice(this.addr.indexOf('@') + 1);
  }

  get name(): string {
    return this.config.get('longname')?.[0] || this.local;
  }

  affiliationOf(address: string): Affiliation {
    return this.affiliations.get(address.toLowerCase()) ?? 'none';
  }

  setAffiliation(address: string, affiliation: Affiliation): void {
    if (affiliation === 'none') this.affiliations.delete(address.toLowerCase());
    else this.affiliations.set(address.toLowerCase(), affiliation);
    const occ = this.byAddress(address);
    if (occ) {
      occ.affiliation = affiliation;
      occ.role = this.roleFor(affiliation);
    }
  }

  /** Owners and admins moderate; others participate (or only watch in a moderated room). */
  roleFor(affiliation: Affiliation): Role {
    if (affiliation === 'owner' || affiliation === 'admin') return 'moderator';
    if (affiliation === 'outcast') return 'none';
    return affiliation === 'none' && isOn(this.config, 'moderated') ? 'visitor' : 'participant';
  }

  byAddress(address: string): Occupant | undefined {
    const key = address.toLowerCase();
    return [...this.occupants.values()].find((o) => o.address.toLowerCase() === key);
  }

  withAffiliation(affiliation: Affiliation): string[] {
    return [...this.affiliations].filter(([, a]) => a === affiliation).map(([addr]) => addr);
  }

  /** Non-anonymous rooms show real JIDs to all; semi-anonymous ones only to moderators. */
  revealsTo(viewer: Occupant): boolean {
    return isOn(this.config, 'noanonymous') || !!this.config.get('whois')?.includes('anyone') || viewer.role === 'moderator';
  }

  /** The reason a join is refused, as a §12.9 error name; undefined when it may enter. */
  admission(address: string, nick: string, password: string | undefined): string | undefined {
    if (this.byAddress(address)) return undefined;
    const affiliation = this.affiliationOf(address);
    const privileged = affiliation === 'owner' || affiliation === 'admin';
    if (this.locked && affiliation !== 'owner') return 'NoSuchRoom';
    if (affiliation === 'outcast') return 'Banned';
    if (isOn(this.config, 'membersonly') && affiliation === 'none') return 'NotAMember';
    if (isOn(this.config, 'passwordprotect') && password !== (this.config.get('password')?.[0] ?? '')) return 'PasswordRequired';
    const taken = this.occupants.get(nick.toLowerCase());
    if (taken && taken.address.toLowerCase() !== address.toLowerCase()) return 'NicknameConflict';
    const max = Number(this.config.get('maxusers')?.[0] ?? '0');
    if (!privileged && max > 0 && this.occupants.size >= max) return 'MaxUsers';
    return undefined;
  }
}
