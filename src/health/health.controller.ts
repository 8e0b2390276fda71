import { Controller, Get, HttpCode, Inject } from '@nestjs/common';
import { ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ProblemDto } from '../common/problem.dto';
import { NS } from '../soap/envelope';
import { SoapClient } from '../soap/soap-client';
import { ProblemException } from '../common/problem';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(SoapClient) private readonly soap: SoapClient) {}

  /** The process is up; makes no upstream call. */
  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * The upstream answers SOAP. An unauthenticated NoOp is enough: the AUTH_REQUIRED fault it earns
   * proves the server is reachable and speaking SOAP.
   */
  @Get('ready')
  @ApiServiceUnavailableResponse({ description: 'The upstream cannot be reached.', type: ProblemDto })
  async ready(): Promise<{ status: 'ok' }> {
    try {
      await this.soap.call({}, { NoOpRequest: { '@_xmlns': NS.mail } });
    } catch (err) {
      throw new ProblemException(503, 'upstream.UNAVAILABLE', `the upstream is not ready: ${(err as Error).message}`);
    }
    return { status: 'ok' };
  }
}
