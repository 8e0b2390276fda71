import { Injectable } from '@nestjs/common';
import { setPresenceRequest } from '../im/presence';
import type { Show } from '../link/events';
import { LinkRegistry } from '../link/link-registry.service';

@Injectable()
export class PresenceService {
  constructor(private readonly links: LinkRegistry) {}

  async setPresence(token: string, presence: { show: Show; status?: string }): Promise<void> {
    await this.links.acquire(token).call(setPresenceRequest(presence), { repeatOnNewSession: true });
  }

  /** Marks one client of the token idle or back; the link tells the upstream when all clients agree. */
  async setIdle(token: string, clientId: string, idle: boolean, idleSeconds: number): Promise<void> {
    await this.links.acquire(token).setClientIdle(clientId, idle, idleSeconds);
  }
}
