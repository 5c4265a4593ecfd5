import { Body, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ErrorKind } from '@onecard/kernel';
import { AdminController, DeviceController } from '@onecard/platform';
import { CampusCardConfig } from '../config';
import { ApiCall, Caller, cardholderOf, CurrentCaller } from '../oauth/api-token.guard';
import { AdminPhotoDto, PhotoQuery, UpdatePhotoDto } from './dto/photo.dto';
import { PhotoLinks } from './photo-links';
import { PhotoErrorCode } from './photo.errors';
import { PhotosService } from './photos.service';

/** 获取校园卡照片 / 更新校园卡照片, and the download links `url` points at. */
@DeviceController('v1', 'card api')
export class PhotosController {
  constructor(
    private readonly photos: PhotosService,
    private readonly links: PhotoLinks,
    private readonly config: CampusCardConfig,
  ) {}

  @Get('me/card/photo')
  @ApiCall({ scopes: ['privacy'], grant: 'authorization_code' })
  get(@Body() query: PhotoQuery, @CurrentCaller() caller: Caller, @Req() request: FastifyRequest) {
    return this.photos.get(cardholderOf(caller), query, this.config.PUBLIC_BASE_URL || `${request.protocol}://${request.host}`);
  }

  @Post('me/card/photo')
  @HttpCode(200)
  @ApiCall({ scopes: ['write_card_info'], grant: 'authorization_code' })
  update(@Body() dto: UpdatePhotoDto, @CurrentCaller() caller: Caller) {
    return this.photos.update(cardholderOf(caller), dto);
  }

  /** A signed download link (no token): the image itself. */
  @Get('photo-files/:userCode/:version.:format')
  @ApiExcludeEndpoint()
  async file(
    @Param('userCode') userCode: string,
    @Param('version', ParseIntPipe) version: number,
    @Query('expires') expires: string,
    @Query('sign') sign: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const ok = /^\d{1,12}$/.test(String(expires)) && typeof sign === 'string' && this.links.verify({ userCode, version, expires: Number(expires) }, sign);
    if (!ok) throw new AppError(ErrorKind.FORBIDDEN, PhotoErrorCode.PHOTO_NOT_FOUND, 'sign: link invalid or expired', 'sign');
    const row = await this.photos.file(userCode, version);
    if (!row) throw new AppError(ErrorKind.NOT_FOUND, PhotoErrorCode.PHOTO_NOT_FOUND, 'url: the photo has changed since this link was made', 'url');
    void reply
      .status(200)
      .header('content-type', row.format === 'png' ? 'image/png' : 'image/jpeg')
      .header('cache-control', 'private, max-age=300')
      .send(row.photo);
  }
}

/** Operators: a cardholder's original photo. */
@AdminController('users')
export class PhotosAdminController {
  constructor(private readonly photos: PhotosService) {}

  @Put(':userCode/photo')
  put(@Param('userCode') userCode: string, @Body() dto: AdminPhotoDto) {
    return this.photos.putOriginal(userCode, dto);
  }
}
