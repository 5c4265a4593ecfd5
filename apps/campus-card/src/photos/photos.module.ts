import { Module } from '@nestjs/common';
import { OAuthModule } from '../oauth/oauth.module';
import { UsersModule } from '../users/users.module';
import { PhotoLinks } from './photo-links';
import { PHOTO_REVIEW, ShapePhotoReview } from './photo-review';
import { PhotosAdminController, PhotosController } from './photos.controller';
import { PhotosService } from './photos.service';

@Module({
  imports: [OAuthModule, UsersModule],
  controllers: [PhotosController, PhotosAdminController],
  // A deployment with a face-comparison service binds its own PhotoReview here.
  providers: [PhotosService, PhotoLinks, { provide: PHOTO_REVIEW, useClass: ShapePhotoReview }],
})
export class PhotosModule {}
