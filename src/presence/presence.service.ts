import { Injectable } from '@nestjs/common';
import { setIdleRequest, setPresenceRequest } from '../im/presence';
import type { Show } from '../link/events';
import { LinkRegistry } from '../link/link-registry.service';

@Injectable()
export class PresenceService {
  constructor(private readonly links: LinkRegistry) {}

  async setPresence(token: string, presence: { show: Show; status?: string }): Promise<void> {
    await this.links.acquire(token).call(setPresenceRequest(presence), { repeatOnNewSession: true });
  }

  /** IMSetIdle must run on the link's own (listener) session, which link.call guarantees. */
  async setIdle(token: string, idle: boolean, idleSeconds: number): Promise<void> {
    await this.links.acquire(token).call(setIdleRequest(idle, idleSeconds), { repeatOnNewSession: true });
  }
}
