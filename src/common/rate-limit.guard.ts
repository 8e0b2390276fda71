import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { bearerFromHeader } from '../auth/bearer-token.decorator';
import { APP_CONFIG, AppConfig } from '../config/config';
import { tokenKey } from '../link/link-registry.service';
import { MetricsService } from '../metrics/metrics.service';
import { ProblemException } from './problem';
import { RateLimiter } from './rate-limiter';

/** `RATE_LIMIT` requests per minute per token and per client address; 429 `rate.LIMITED` beyond (one process). */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter?: RateLimiter;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly metrics: MetricsService,
  ) {
    // In cluster mode the limit is counted in Redis, by admission, before any guard runs.
    if (config.rateLimitPerMinute > 0 && !config.cluster) this.limiter = new RateLimiter(config.rateLimitPerMinute);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.limiter || context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!request.url.startsWith('/v1/')) return true; // health checks and docs are not limited
    const token = bearerFromHeader(request.headers.authorization);
    const waits = [this.limiter.hit(`ip:${request.ip}`), token ? this.limiter.hit(`token:${tokenKey(token)}`) : 0];
    const retryAfter = Math.max(...waits);
    if (retryAfter > 0) {
      this.metrics.rateLimitedRequest();
      throw new ProblemException(429, 'rate.LIMITED', `Too many requests; retry in ${retryAfter} s.`, undefined, {
        headers: { 'Retry-After': String(retryAfter) },
      });
    }
    return true;
  }
}
