import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DEMO_HEADERS, DemoAsset, DemoAssets } from './demo-assets';

/** The browser demo (DEMO=on): a page, its script and style sheet, and the client SDK it is built on. Not part of the API. */
@ApiExcludeController()
@Controller('demo')
export class DemoController {
  constructor(private readonly assets: DemoAssets) {}

  @Get()
  page(@Res({ passthrough: true }) reply: FastifyReply): Buffer {
    return send(reply, this.assets.file('index.html'));
  }

  @Get('app.js')
  script(@Res({ passthrough: true }) reply: FastifyReply): Buffer {
    return send(reply, this.assets.file('app.js'));
  }

  @Get('app.css')
  styles(@Res({ passthrough: true }) reply: FastifyReply): Buffer {
    return send(reply, this.assets.file('app.css'));
  }

  @Get('imbridge-client.min.js')
  sdk(@Res({ passthrough: true }) reply: FastifyReply): Buffer {
    return send(reply, this.assets.bundle());
  }
}

function send(reply: FastifyReply, asset: DemoAsset): Buffer {
  reply.headers(DEMO_HEADERS).header('content-type', asset.contentType);
  return asset.body;
}
