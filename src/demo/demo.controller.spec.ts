import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { join } from 'node:path';
import { ProblemFilter } from '../common/problem.filter';
import { DEMO_PUBLIC_DIR, DemoAssets } from './demo-assets';
import { DemoController } from './demo.controller';

/** The demo's controller with its files where they are and the SDK bundle missing (not built). */
@Module({
  controllers: [DemoController],
  providers: [{ provide: DemoAssets, useValue: new DemoAssets(DEMO_PUBLIC_DIR, join(__dirname, 'no-such-dir', 'imbridge-client.min.js')) }],
})
class DemoWithoutBundle {}

describe('DemoController without the SDK bundle', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(DemoWithoutBundle, new FastifyAdapter(), { logger: false });
    app.useGlobalFilters(new ProblemFilter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  const get = (url: string) => app.getHttpAdapter().getInstance().inject({ method: 'GET', url });

  it.each(['/demo', '/demo/imbridge-client.min.js'])('%s answers 503 demo.UNAVAILABLE saying how to build it', async (url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 503, code: 'demo.UNAVAILABLE', detail: expect.stringContaining('run `npm run build -w client`') });
  });

  it('still serves the files that do not need the bundle', async () => {
    const res = await get('/demo/app.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.body).toContain("from './imbridge-client.min.js'");
  });
});
