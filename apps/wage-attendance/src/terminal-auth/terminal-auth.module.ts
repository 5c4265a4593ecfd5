import { Module } from '@nestjs/common';
import { TerminalCredentials } from './terminal-credentials';

/** Terminal request signatures: the secret cache and the guard. */
@Module({
  providers: [TerminalCredentials],
  exports: [TerminalCredentials],
})
export class TerminalAuthModule {}
