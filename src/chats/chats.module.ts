import { Module } from '@nestjs/common';
import { ChatsController } from './chats.controller';
import { ChatsService } from './chats.service';
import { CLUSTER_READ_MARKERS, MemoryReadMarkers, READ_MARKERS, ReadMarkers } from './read-markers';

@Module({
  controllers: [ChatsController],
  providers: [
    ChatsService,
    {
      provide: READ_MARKERS,
      inject: [{ token: CLUSTER_READ_MARKERS, optional: true }],
      useFactory: (cluster?: ReadMarkers): ReadMarkers => cluster ?? new MemoryReadMarkers(),
    },
  ],
})
export class ChatsModule {}
