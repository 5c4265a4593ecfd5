import type { FastifyRequest } from 'fastify';
import type { KioskIdentity } from './machine-credentials';

const KIOSK = Symbol('card-issuance:kiosk');

/** Route metadata: a disabled machine may still call this route. */
export const ALLOW_DISABLED_MACHINE = 'card-issuance:allow-disabled-machine';

export function setKiosk(request: FastifyRequest, kiosk: KioskIdentity): void {
  (request as unknown as Record<symbol, KioskIdentity>)[KIOSK] = kiosk;
}

export function kioskOf(request: FastifyRequest): KioskIdentity {
  return (request as unknown as Record<symbol, KioskIdentity>)[KIOSK];
}
