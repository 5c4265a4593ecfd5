import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError, ErrorKind } from '@onecard/kernel';
import { DeviceSignaturePolicy, DeviceSignatureVerifier, rawBodyOf } from '@onecard/platform';
import { DEVICE_KEY } from '../common/fields';
import { WageAttendanceConfig } from '../config';
import { TerminalAuthErrorCode as Code } from './terminal-auth.errors';
import { TerminalCredentials, TerminalIdentity } from './terminal-credentials';
import { setTerminal } from './terminal-request';

type TerminalWithSecret = TerminalIdentity & { secret: string };

/**
 * Every terminal call is signed as card-issuance's kiosks sign theirs (the platform's signed
 * device request) under X-Device-Key, X-Timestamp, X-Nonce and X-Signature, over the body's
 * bytes whatever its content type. A deleted (disabled) device is refused.
 */
@Injectable()
export class TerminalAuthGuard implements CanActivate {
  private readonly policy: DeviceSignaturePolicy<TerminalWithSecret>;

  constructor(
    credentials: TerminalCredentials,
    private readonly verifier: DeviceSignatureVerifier,
    config: WageAttendanceConfig,
  ) {
    this.policy = {
      headers: { device: 'x-device-key', timestamp: 'x-timestamp', nonce: 'x-nonce', signature: 'x-signature' },
      deviceIdFormat: DEVICE_KEY,
      maxSkewMs: config.SIGNATURE_MAX_SKEW_MS,
      nonceScope: 'terminal',
      unknownDeviceMessage: 'x-device-key: unknown device',
      codes: {
        headerMissing: Code.HEADER_MISSING,
        headerMalformed: Code.HEADER_MALFORMED,
        timestampStale: Code.TIMESTAMP_STALE,
        unknownDevice: Code.UNKNOWN_DEVICE,
        badSignature: Code.BAD_SIGNATURE,
        nonceReplayed: Code.NONCE_REPLAYED,
      },
      lookup: (deviceKey) => credentials.get(deviceKey),
    };
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const terminal = await this.verifier.verify({ method: request.method, url: request.url, headers: request.headers, body: rawBodyOf(request) }, this.policy);
    if (terminal.state === 3) throw new AppError(ErrorKind.FORBIDDEN, Code.DEVICE_DISABLED, 'x-device-key: this device was deleted (disabled)', 'x-device-key');
    setTerminal(request, { deviceKey: terminal.deviceKey, state: terminal.state });
    return true;
  }
}
