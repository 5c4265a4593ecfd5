import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppError, ErrorKind } from '@onecard/kernel';
import { NonceRegistry, rawBodyOf } from '@onecard/platform';
import { CardIssuanceConfig } from '../config';
import { KioskAuthErrorCode as Code } from './kiosk-auth.errors';
import { ALLOW_DISABLED_MACHINE, setKiosk } from './kiosk-request';
import { checkTimestamp, KIOSK_HEADER_RULES, signatureMatches } from './kiosk-signature';
import { KioskIdentity, MachineCredentials } from './machine-credentials';

function header(request: FastifyRequest, name: string): string {
  const value = request.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text === '') throw new AppError(ErrorKind.UNAUTHENTICATED, Code.HEADER_MISSING, `${name}: header required`, name);
  return text;
}

const JSON_TYPE = /^application\/json\b/i;
const NO_BODY = Buffer.alloc(0);

/** The kiosk document's bodies are JSON: the signature covers JSON bytes, so a body of another type signs as none. */
function signedBody(request: FastifyRequest): Buffer {
  return JSON_TYPE.test(String(request.headers['content-type'] ?? '')) ? rawBodyOf(request) : NO_BODY;
}

function unauthenticated(code: Code, field: string, message: string): AppError {
  return new AppError(ErrorKind.UNAUTHENTICATED, code, message, field);
}

/**
 * Every kiosk call is signed (see kiosk-signature.ts). Checked in this order: headers present
 * and well-formed, timestamp within the skew, machine known, signature, nonce unused (claimed in
 * Postgres, so a replay to another replica is refused too), machine enabled.
 */
@Injectable()
export class KioskAuthGuard implements CanActivate {
  constructor(
    private readonly credentials: MachineCredentials,
    private readonly nonces: NonceRegistry,
    private readonly config: CardIssuanceConfig,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const machineNo = header(request, 'x-machine-no');
    const timestamp = header(request, 'x-timestamp');
    const nonce = header(request, 'x-nonce');
    const signature = header(request, 'x-signature');
    for (const [name, rule] of Object.entries(KIOSK_HEADER_RULES)) {
      if (!rule.test(String(request.headers[name]))) throw unauthenticated(Code.HEADER_MALFORMED, name, `${name}: malformed header`);
    }
    const time = checkTimestamp(timestamp, Date.now(), this.config.SIGNATURE_MAX_SKEW_MS);
    if (!time.ok) {
      throw time.problem === 'malformed'
        ? unauthenticated(Code.HEADER_MALFORMED, 'x-timestamp', 'x-timestamp: must be unix time in milliseconds (13 digits)')
        : unauthenticated(Code.TIMESTAMP_STALE, 'x-timestamp', `x-timestamp: more than ${this.config.SIGNATURE_MAX_SKEW_MS / 1000} s from server time`);
    }
    const machine = await this.credentials.get(machineNo);
    if (!machine) throw unauthenticated(Code.UNKNOWN_MACHINE, 'x-machine-no', 'x-machine-no: unknown machine');
    const parts = { method: request.method, pathWithQuery: request.url, timestamp, nonce, body: signedBody(request) };
    if (!signatureMatches(machine.secret, parts, signature)) {
      // A JSON body under another content type is parsed but is not what the kiosk signed.
      const contentType = String(request.headers['content-type'] ?? '');
      const bodySent = Number(request.headers['content-length'] ?? 0) > 0 && parts.body.length === 0;
      const hint = bodySent && !JSON_TYPE.test(contentType) ? ` (the body must be sent as content-type application/json, not ${contentType || 'none'})` : '';
      throw unauthenticated(Code.BAD_SIGNATURE, 'x-signature', `x-signature: signature does not match the request${hint}`);
    }
    // A nonce must outlive the window in which its timestamp is acceptable.
    const fresh = await this.nonces.claim(`kiosk:${machineNo}`, nonce, 2 * this.config.SIGNATURE_MAX_SKEW_MS);
    // Refused even when it is an HTTP client's retry of the same bytes: replay protection cannot
    // tell the two apart. The message says how a retry gets through.
    if (!fresh) throw unauthenticated(Code.NONCE_REPLAYED, 'x-nonce', 'x-nonce: already used; sign a retried request again with a new nonce');
    const allowDisabled = this.reflector.getAllAndOverride<boolean>(ALLOW_DISABLED_MACHINE, [context.getHandler(), context.getClass()]);
    if (machine.status !== 1 && !allowDisabled) {
      throw new AppError(ErrorKind.FORBIDDEN, Code.MACHINE_DISABLED, 'x-machine-no: machine is disabled', 'x-machine-no');
    }
    const identity: KioskIdentity = { machineNo: machine.machineNo, projectId: machine.projectId, status: machine.status };
    setKiosk(request, identity);
    return true;
  }
}
