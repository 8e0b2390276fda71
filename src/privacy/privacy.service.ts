import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { answersPrivacyRequest, DEFAULT_PRIVACY_LIST, getPrivacyListRequest, setPrivacyListRequest } from '../im/privacy';
import type { EventData, PrivacyItem } from '../link/events';
import { LinkRegistry } from '../link/link-registry.service';

export type PrivacyList = EventData['privacyList'];

/** `default` addresses the default list, whatever its real name: it is never sent upstream as a name. */
function upstreamName(name: string): string | undefined {
  return name === DEFAULT_PRIVACY_LIST ? undefined : name;
}

@Injectable()
export class PrivacyService {
  constructor(
    private readonly links: LinkRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The upstream answers IMGetPrivacyList with an empty response; the list arrives later as a
   * `privacy` notification. Only one posted after the call answers it: an earlier one (every
   * IMGetRoster and the persona's connect trigger one too) may show the list before a change.
   * Bounded: `504 roster.TIMEOUT` when none comes (the upstream sends nothing for an unknown named list).
   */
  async getList(token: string, name: string): Promise<PrivacyList> {
    const requested = upstreamName(name);
    return this.links.acquire(token).callThenAwait(
      getPrivacyListRequest(requested),
      (event) => (event.type === 'privacyList' && answersPrivacyRequest(requested, event.data) ? event.data : undefined),
      { timeoutMs: this.config.rosterTimeoutMs, timeoutCode: 'roster.TIMEOUT', repeatOnNewSession: true },
    );
  }

  /** Replaces the list (creating it; the first list a user has becomes the default upstream). */
  async setList(token: string, name: string, items: readonly PrivacyItem[]): Promise<void> {
    const plain = items.map(({ order, action, address }) => ({ order, action, address }));
    await this.links.acquire(token).call(setPrivacyListRequest({ name: upstreamName(name), items: plain }), { repeatOnNewSession: true });
  }
}
