import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboundPhotoSource } from './outbound-photo-source';
import { Person } from './person.entity';
import { PhotoSource } from './photo-source';
import { PersonsController } from './persons.controller';
import { PersonsService } from './persons.service';

@Module({
  imports: [TypeOrmModule.forFeature([Person])],
  controllers: [PersonsController],
  providers: [PersonsService, { provide: PhotoSource, useClass: OutboundPhotoSource }],
})
export class PersonsModule {}
