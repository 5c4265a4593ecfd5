import { Module } from '@nestjs/common';
import { CallbacksModule } from '../callbacks/callbacks.module';
import { TerminalAuthModule } from '../terminal-auth/terminal-auth.module';
import { IdentifyService } from './identify.service';
import { RecognitionPartitions } from './recognition-partitions';
import { RecognitionRecorder } from './recognition-recorder';
import { TerminalIdentifyController } from './terminal-identify.controller';

/** Recognition records: judged, stored once, called back and published once. */
@Module({
  imports: [CallbacksModule, TerminalAuthModule],
  controllers: [TerminalIdentifyController],
  providers: [RecognitionRecorder, IdentifyService, RecognitionPartitions],
})
export class RecognitionModule {}
