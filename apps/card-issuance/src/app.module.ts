import { Module } from '@nestjs/common';

/** card-issuance's features. */
@Module({ imports: [] })
export class AppModule {}
