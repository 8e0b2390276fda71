import { Module } from '@nestjs/common';
import { WebhookDelivery } from './webhook-delivery.service';

/** Offline delivery (README "Offline delivery"); loaded only with WEBHOOK_URL set. */
@Module({ providers: [WebhookDelivery], exports: [WebhookDelivery] })
export class WebhooksModule {}
