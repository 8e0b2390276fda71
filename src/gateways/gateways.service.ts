import { HttpStatus, Injectable } from '@nestjs/common';
import { ProblemCode, ProblemException } from '../common/problem';
import { Gateway, gatewayListRequest, GatewayOp, gatewayRegisterRequest, readGatewayListResponse } from '../im/gateways';
import type { Link } from '../link/link';
import { LinkRegistry } from '../link/link-registry.service';

@Injectable()
export class GatewaysService {
  constructor(private readonly links: LinkRegistry) {}

  async list(token: string): Promise<Gateway[]> {
    return this.listOn(this.links.acquire(token));
  }

  /** Registers (or re-registers) the remote account; `gatewayStatus` events report the connection. */
  async register(token: string, type: string, credentials: { name: string; password: string }): Promise<void> {
    await this.change(token, type, { op: 'reg', ...credentials });
  }

  /** Idempotent: removing a registration that does not exist succeeds. */
  async unregister(token: string, type: string): Promise<void> {
    await this.change(token, type, { op: 'unreg' });
  }

  /** Retries now, re-enabling a disabled registration. 409 when there is no registration to reconnect. */
  async reconnect(token: string, type: string): Promise<void> {
    await this.change(token, type, { op: 'reconnect' });
  }

  /**
   * `{type}` must be a gateway the upstream offers this user: anything else would be a
   * `service.FAILURE` upstream, so it is a 404 here, before the register request is sent.
   */
  private async change(token: string, type: string, op: GatewayOp): Promise<void> {
    const link = this.links.acquire(token);
    const gateways = await this.listOn(link);
    const gateway = gateways.find((g) => g.type === type);
    if (!gateway) {
      const available = gateways.map((g) => g.type);
      throw new ProblemException(
        HttpStatus.NOT_FOUND,
        ProblemCode.NOT_FOUND,
        available.length > 0
          ? `No gateway of that type is available to this account; available types: ${available.join(', ')}.`
          : 'No gateways are available to this account.',
      );
    }
    if (op.op === 'reconnect' && !gateway.registration) {
      throw new ProblemException(HttpStatus.CONFLICT, ProblemCode.CONFLICT, `There is no ${gateway.type} registration to reconnect; register first.`);
    }
    await link.call(gatewayRegisterRequest(gateway.type, op), { repeatOnNewSession: true });
  }

  private async listOn(link: Link): Promise<Gateway[]> {
    return readGatewayListResponse(await link.call(gatewayListRequest(), { repeatOnNewSession: true }));
  }
}
