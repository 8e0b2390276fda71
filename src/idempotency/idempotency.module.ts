import { Global, Module } from '@nestjs/common';
import { problemFromException } from '../common/problem.filter';
import { APP_CONFIG, AppConfig } from '../config/config';
import { IdempotencyKeys, IdempotencyStore } from './idempotency-store';
import { IDEMPOTENCY_STORE, IdempotencyInterceptor } from './idempotent';

/** Statuses that mean "not done, try again later": a retry under the same key runs again. */
const RETRYABLE = new Set([429, 503]);

/** Whether an error answer is final: kept and replayed to a retry. */
export function isFinalAnswer(error: unknown): boolean {
  return !RETRYABLE.has(problemFromException(error).problem.status);
}

/** Cluster mode provides the keys in Redis under this token. */
export const CLUSTER_IDEMPOTENCY = Symbol('CLUSTER_IDEMPOTENCY');

@Global()
@Module({
  providers: [
    {
      provide: IDEMPOTENCY_STORE,
      inject: [APP_CONFIG, { token: CLUSTER_IDEMPOTENCY, optional: true }],
      // In cluster mode the keys live in Redis, so a retry after a takeover still finds its answer.
      useFactory: (config: AppConfig, cluster?: IdempotencyKeys): IdempotencyKeys =>
        cluster ?? new IdempotencyStore({ ttlMs: config.idempotencyTtlMs, maxKeys: config.idempotencyMaxKeys }, isFinalAnswer),
    },
    IdempotencyInterceptor,
  ],
  exports: [IDEMPOTENCY_STORE, IdempotencyInterceptor],
})
export class IdempotencyModule {}
