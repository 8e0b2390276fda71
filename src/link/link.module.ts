import { Global, Module } from '@nestjs/common';
import { LinkRegistry } from './link-registry.service';

@Global()
@Module({ providers: [LinkRegistry], exports: [LinkRegistry] })
export class LinkModule {}
