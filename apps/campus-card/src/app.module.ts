import { Module } from '@nestjs/common';

/** campus-card's features. */
@Module({ imports: [] })
export class AppModule {}
