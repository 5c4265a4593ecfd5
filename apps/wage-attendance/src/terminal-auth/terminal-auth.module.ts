import { Module } from '@nestjs/common';
import { TerminalAuthGuard } from './terminal-auth.guard';
import { TerminalCredentials } from './terminal-credentials';

/** Terminal request signatures: the secret cache and the guard. */
@Module({
  providers: [TerminalCredentials, TerminalAuthGuard],
  exports: [TerminalCredentials, TerminalAuthGuard],
})
export class TerminalAuthModule {}
