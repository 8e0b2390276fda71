import { Injectable } from '@nestjs/common';
import { authRequest, readAuthResponse, validateTokenRequest } from '../im/account';
import { ProblemException } from '../common/problem';
import { LinkRegistry, tokenKey } from '../link/link-registry.service';
import { SoapClient } from '../soap/soap-client';

export interface SessionView {
  token: string;
  account: string;
  expiresAt: string;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly soap: SoapClient,
    private readonly links: LinkRegistry,
  ) {}

  /** AuthRequest without a session: the link creates its own session on first use. */
  async login(account: string, password: string): Promise<SessionView> {
    const response = await this.soap.call({}, authRequest(account, password));
    if (response.fault) throw response.fault;
    const { token, lifetimeMs } = readAuthResponse(response.body ?? {});
    return { token, account, expiresAt: new Date(Date.now() + lifetimeMs).toISOString() };
  }

  /** Ends the token's upstream session and refuses the token from now on. */
  async logout(token: string): Promise<void> {
    // The upstream would still validate an ended token until it expires: ours is the word on that.
    if (this.links.isRevoked(tokenKey(token))) throw ProblemException.unauthorized('This session has ended.');
    // Validate first (the token-validation form of AuthRequest), so a bogus token is a 401, not a 204.
    const response = await this.soap.call({}, validateTokenRequest(token));
    if (response.fault) throw response.fault;
    await this.links.end(token);
  }
}
