import { Body } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { PlatformCall, PlatformController } from '../platform-auth/platform-controller';
import { Answer } from '../wire/platform-envelope';
import { BatchDeletePersonsDto, CreatePersonDto, RegisterPhotoDto } from './dto/person.dto';
import { PersonsService } from './persons.service';

/** The document's calls 4, 5 and 8 (注册人员到平台, 批量删除平台人员, 给平台已有人员注册照片). */
@PlatformController('person')
export class PersonsController {
  constructor(private readonly persons: PersonsService) {}

  @PlatformCall('create')
  @ApiOperation({ summary: '注册人员到平台: result {guid}, the person’s handle in later calls (the document leaves result empty)' })
  async create(@Body() dto: CreatePersonDto) {
    return new Answer('注册人员', await this.persons.create(dto));
  }

  @PlatformCall('batchDelete')
  @ApiOperation({ summary: '批量删除平台人员: guids comma-separated; every terminal holding one is told to drop them' })
  async batchDelete(@Body() dto: BatchDeletePersonsDto) {
    await this.persons.batchDelete(dto.guids);
    return new Answer('删除平台人员', {});
  }

  @PlatformCall('photo')
  @ApiOperation({ summary: '给平台已有人员注册照片: photo is a URL (JPEG or PNG), fetched now; result {faceGuid}' })
  async photo(@Body() dto: RegisterPhotoDto) {
    return new Answer('给平台已有人员注册照片', await this.persons.registerPhoto(dto.guid, dto.photo));
  }
}
