import { Controller, Get, HttpCode, Inject, Optional } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem, ApiPublic } from '../common/api-responses';
import { ProblemCode, ProblemException } from '../common/problem';
import { LinkRegistry } from '../link/link-registry.service';
import { NS } from '../soap/envelope';
import { SoapClient } from '../soap/soap-client';
import { HealthStatusDto } from './health-status.dto';

/** `/health/ready` when MAX_LINKS links are open and in use: a new token would be refused. */
export const LINKS_EXHAUSTED = 'links.EXHAUSTED';

/** Cluster mode: why this instance cannot serve now (Redis out of reach, lease lost), or undefined. */
export interface ClusterHealth {
  notReady(): string | undefined;
}

export const CLUSTER_HEALTH = Symbol('CLUSTER_HEALTH');

@ApiTags('health')
@ApiPublic()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(SoapClient) private readonly soap: SoapClient,
    private readonly links: LinkRegistry,
    @Optional() @Inject(CLUSTER_HEALTH) private readonly cluster?: ClusterHealth,
  ) {}

  /** The process is up; makes no upstream call. */
  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness' })
  @ApiOkResponse({ type: HealthStatusDto, description: 'The process is serving.' })
  live(): HealthStatusDto {
    return { status: 'ok' };
  }

  /**
   * The upstream answers SOAP, and there is room for another token's link. An unauthenticated NoOp
   * is enough: the AUTH_REQUIRED fault it earns proves the server is reachable and speaking SOAP.
   */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness' })
  @ApiOkResponse({ type: HealthStatusDto, description: 'The IM server answers, and a new token could get an upstream session.' })
  @ApiProblem(
    503,
    `\`upstream.UNAVAILABLE\`: the IM server cannot be reached; \`${LINKS_EXHAUSTED}\`: every link is in use (\`MAX_LINKS\`); ` +
      '`cluster.UNAVAILABLE`: with several instances, Redis cannot be reached or this instance lost its lease.',
  )
  async ready(): Promise<HealthStatusDto> {
    const clusterTrouble = this.cluster?.notReady();
    if (clusterTrouble) throw new ProblemException(503, ProblemCode.CLUSTER_UNAVAILABLE, `the cluster is not ready: ${clusterTrouble}`);
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
