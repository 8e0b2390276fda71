import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { SoapClient } from './soap-client';

@Global()
@Module({
  providers: [
    {
      provide: SoapClient,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        if (!config.upstreamUrl) throw new Error('UPSTREAM_URL is not set and no simulator was started');
        return new SoapClient({
          url: config.upstreamUrl,
          timeoutMs: config.upstreamTimeoutMs,
          connectTimeoutMs: config.upstreamConnectTimeoutMs,
          maxResponseBytes: config.maxUpstreamResponseBytes,
        });
      },
    },
  ],
  exports: [SoapClient],
})
export class SoapModule implements OnApplicationShutdown {
  constructor(@Inject(SoapClient) private readonly soap: SoapClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.soap.close();
  }
}
