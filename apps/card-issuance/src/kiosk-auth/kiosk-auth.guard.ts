import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppError, ErrorKind } from '@onecard/kernel';
import { DeviceSignaturePolicy, DeviceSignatureVerifier, rawBodyOf } from '@onecard/platform';
import { CardIssuanceConfig } from '../config';
import { KioskAuthErrorCode as Code } from './kiosk-auth.errors';
import { ALLOW_DISABLED_MACHINE, setKiosk } from './kiosk-request';
import { KIOSK_SIGNATURE } from './kiosk-signature';
import { KioskPresence } from './kiosk-presence';
import { KioskIdentity, MachineCredentials } from './machine-credentials';

type KioskWithSecret = KioskIdentity & { secret: string };

const JSON_TYPE = /^application\/json\b/i;
const NO_BODY = Buffer.alloc(0);

/**
 * The kiosk document's bodies are JSON: the signature covers the JSON bytes as sent, so a body of
 * another type signs as none. A JSON body sent without a content type or as text/plain counts as
 * JSON (the kiosk routes are @LenientJson, which labels it application/json before this runs).
 */
function signedBody(request: FastifyRequest): Buffer {
  return JSON_TYPE.test(String(request.headers['content-type'] ?? '')) ? rawBodyOf(request) : NO_BODY;
}

/**
 * Every kiosk call is signed (see kiosk-signature.ts); the platform's verifier checks headers,
 * timestamp, machine, signature and nonce in that order. Then the machine must be enabled.
 */
@Injectable()
export class KioskAuthGuard implements CanActivate {
  private readonly policy: DeviceSignaturePolicy<KioskWithSecret>;

  constructor(
    credentials: MachineCredentials,
    private readonly verifier: DeviceSignatureVerifier,
    config: CardIssuanceConfig,
    private readonly reflector: Reflector,
    private readonly presence: KioskPresence,
  ) {
    this.policy = {
      ...KIOSK_SIGNATURE,
      maxSkewMs: config.SIGNATURE_MAX_SKEW_MS,
      lookup: (machineNo) => credentials.get(machineNo),
      signatureHint: (request) => {
        // A body under a type other than JSON (a form, say) is parsed but is not what the kiosk signed.
        const contentType = String(request.headers['content-type'] ?? '');
        const bodySent = Number(request.headers['content-length'] ?? 0) > 0 && request.body.length === 0;
        return bodySent && !JSON_TYPE.test(contentType) ? ` (send the JSON body as application/json, text/plain or without a content type, not ${contentType || 'none'})` : '';
      },
    };
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const machine = await this.verifier.verify({ method: request.method, url: request.url, headers: request.headers, body: signedBody(request) }, this.policy);
    // A signed call, even from a disabled kiosk, is the kiosk being there.
    this.presence.seen(machine.machineNo);
    const allowDisabled = this.reflector.getAllAndOverride<boolean>(ALLOW_DISABLED_MACHINE, [context.getHandler(), context.getClass()]);
    if (machine.status !== 1 && !allowDisabled) {
      throw new AppError(ErrorKind.FORBIDDEN, Code.MACHINE_DISABLED, 'x-machine-no: machine is disabled', 'x-machine-no');
    }
    const identity: KioskIdentity = { machineNo: machine.machineNo, projectId: machine.projectId, status: machine.status };
    setKiosk(request, identity);
    return true;
  }
}
