import { Controller, Get, HttpCode, Inject } from '@nestjs/common';
import { ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ProblemDto } from '../common/problem.dto';
import { LinkRegistry } from '../link/link-registry.service';
import { NS } from '../soap/envelope';
import { SoapClient } from '../soap/soap-client';
import { ProblemException } from '../common/problem';

/** `/health/ready` when MAX_LINKS links are open and in use: a new token would be refused. */
export const LINKS_EXHAUSTED = 'links.EXHAUSTED';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(SoapClient) private readonly soap: SoapClient,
    private readonly links: LinkRegistry,
  ) {}

  /** The process is up; makes no upstream call. */
  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * The upstream answers SOAP, and there is room for another token's link. An unauthenticated NoOp
   * is enough: the AUTH_REQUIRED fault it earns proves the server is reachable and speaking SOAP.
   */
  @Get('ready')
  @ApiServiceUnavailableResponse({
    description: `The upstream cannot be reached (\`upstream.UNAVAILABLE\`), or every link is in use (\`${LINKS_EXHAUSTED}\`, MAX_LINKS).`,
    type: ProblemDto,
  })
  async ready(): Promise<{ status: 'ok' }> {
    try {
      await this.soap.call({}, { NoOpRequest: { '@_xmlns': NS.mail } });
    } catch (err) {
      throw new ProblemException(503, 'upstream.UNAVAILABLE', `the upstream is not ready: ${(err as Error).message}`);
    }
    if (this.links.isFull) {
      throw new ProblemException(503, LINKS_EXHAUSTED, `All ${this.links.size} links (MAX_LINKS) are in use; a new token would be refused.`);
    }
    return { status: 'ok' };
  }
}
