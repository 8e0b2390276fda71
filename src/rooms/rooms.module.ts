import { Module } from '@nestjs/common';
import { ChatConfigurationController } from './chat-configuration.controller';
import { ConferenceServicesController, RoomsController } from './rooms.controller';
import { RoomsService } from './rooms.service';

@Module({ controllers: [ConferenceServicesController, RoomsController, ChatConfigurationController], providers: [RoomsService] })
export class RoomsModule {}
