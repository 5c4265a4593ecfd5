import { Module } from '@nestjs/common';

/** wage-attendance's features. */
@Module({ imports: [] })
export class AppModule {}
