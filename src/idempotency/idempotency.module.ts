import { Global, Module } from '@nestjs/common';
import { problemFromException } from '../common/problem.filter';
import { APP_CONFIG, AppConfig } from '../config/config';
import { IdempotencyStore } from './idempotency-store';
import { IDEMPOTENCY_STORE, IdempotencyInterceptor } from './idempotent';

/** Statuses that mean "not done, try again later": a retry under the same key runs again. */
const RETRYABLE = new Set([429, 503]);

@Global()
@Module({
  providers: [
    {
      provide: IDEMPOTENCY_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new IdempotencyStore({ ttlMs: config.idempotencyTtlMs, maxKeys: config.idempotencyMaxKeys }, (error) => !RETRYABLE.has(problemFromException(error).problem.status)),
    },
    IdempotencyInterceptor,
  ],
  exports: [IDEMPOTENCY_STORE, IdempotencyInterceptor],
})
export class IdempotencyModule {}
