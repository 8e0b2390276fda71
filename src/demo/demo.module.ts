import { Module } from '@nestjs/common';
import { DemoAssets } from './demo-assets';
import { DemoController } from './demo.controller';

/** GET /demo: the browser demo, loaded only with DEMO=on (the default with the embedded simulator). */
@Module({ controllers: [DemoController], providers: [{ provide: DemoAssets, useValue: new DemoAssets() }] })
export class DemoModule {}
