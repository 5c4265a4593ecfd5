import { Module } from '@nestjs/common';

/** tuya-bridge's features. */
@Module({ imports: [] })
export class AppModule {}
