import { Module } from '@nestjs/common';

/** transit-validation's features. */
@Module({ imports: [] })
export class AppModule {}
