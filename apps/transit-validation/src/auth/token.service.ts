import { Injectable } from '@nestjs/common';
import { AppError, ErrorKind } from '@onecard/kernel';
import { hmacSha256Hex, NonceRegistry, safeEqual } from '@onecard/platform';
import { TransitValidationConfig } from '../config';
import { TransitKeys } from '../core/keys';
import { Device, DeviceRegistry } from '../devices/device-registry';
import { AuthErrorCode } from './auth-errors';
import { readToken, signToken, TokenClaims } from './token';
import { GetTokenDto } from './dto/get-token.dto';

const CACHE_MAX = 100_000;

/** /get_token and the verification of the token on every other call. */
@Injectable()
export class TokenService {
  /** Tokens whose signature was already checked (the claims still are, each time). */
  private readonly verified = new Map<string, TokenClaims>();

  constructor(
    private readonly keys: TransitKeys,
    private readonly devices: DeviceRegistry,
    private readonly nonces: NonceRegistry,
    private readonly config: TransitValidationConfig,
  ) {}

  /** sign = lowercase hex HMAC-SHA256(secret, device_id + timestamp + nonce); timestamp in unix s or ms. */
  async issue(dto: GetTokenDto): Promise<{ token: string; expires_in: number }> {
    const device = await this.devices.get(dto.device_id);
    if (!device) throw new AppError(ErrorKind.UNAUTHENTICATED, AuthErrorCode.DEVICE_UNKNOWN, `device_id: ${dto.device_id} is not a registered device`, 'device_id');
    const sentMs = dto.timestamp.length === 13 ? Number(dto.timestamp) : Number(dto.timestamp) * 1000;
    const skew = Math.abs(Date.now() - sentMs) / 1000;
    if (skew > this.config.TRANSIT_TOKEN_SKEW_S) {
      throw new AppError(ErrorKind.UNAUTHENTICATED, AuthErrorCode.TIMESTAMP_SKEW, `timestamp: ${Math.round(skew)} s away from server time (at most ${this.config.TRANSIT_TOKEN_SKEW_S} s)`, 'timestamp');
    }
    const secret = this.keys.secretBox.open(device.secretSealed);
    const expected = hmacSha256Hex(secret, `${dto.device_id}${dto.timestamp}${dto.nonce}`);
    if (!safeEqual(expected, dto.sign.toLowerCase())) {
      throw new AppError(ErrorKind.UNAUTHENTICATED, AuthErrorCode.SIGN_INVALID, 'sign: does not match HMAC-SHA256(secret, device_id + timestamp + nonce)', 'sign');
    }
    // Said only to a caller holding the secret: others learn no more than that the id is registered.
    if (device.disabled) throw disabled(device.deviceId);
    // Claimed only once the signature is right, so nobody else can burn a device's nonces.
    if (!(await this.nonces.claim(`get_token:${dto.device_id}`, dto.nonce, 2 * this.config.TRANSIT_TOKEN_SKEW_S * 1000))) {
      throw new AppError(ErrorKind.UNAUTHENTICATED, AuthErrorCode.NONCE_REUSED, 'nonce: already used; send a fresh nonce', 'nonce');
    }
    const ttl = this.config.TRANSIT_TOKEN_TTL_S;
    const token = signToken(this.keys.tokenKeys[0], { deviceId: device.deviceId, exp: Math.floor(Date.now() / 1000) + ttl, gen: device.tokenGen });
    return { token, expires_in: ttl };
  }

  /** The device a token belongs to, or the AppError the caller sees. */
  async verify(token: string | undefined): Promise<Device> {
    if (!token) {
      throw new AppError(ErrorKind.UNAUTHENTICATED, AuthErrorCode.TOKEN_MISSING, 'token: required (body field token or Authorization: Bearer); get one from /get_token', 'token');
    }
    let claims = this.verified.get(token);
    if (!claims) {
      claims = readToken(this.keys.tokenKeys, token);
      if (!claims) throw new AppError(ErrorKind.UNAUTHENTICATED, AuthErrorCode.TOKEN_INVALID, 'token: not a token this server issued', 'token');
      if (this.verified.size >= CACHE_MAX) this.verified.clear();
      this.verified.set(token, claims);
    }
    if (claims.exp * 1000 <= Date.now()) {
      this.verified.delete(token);
      throw new AppError(ErrorKind.UNAUTHENTICATED, AuthErrorCode.TOKEN_EXPIRED, 'token: expired; get a new one from /get_token', 'token');
    }
    const device = await this.devices.get(claims.deviceId);
    // Before the generation: disabling also bumps it, and the device should hear why it is refused.
    if (device?.disabled) throw disabled(device.deviceId);
    if (!device || device.tokenGen !== claims.gen) {
      throw new AppError(ErrorKind.UNAUTHENTICATED, AuthErrorCode.TOKEN_INVALID, 'token: revoked (the device secret was rotated or the device removed)', 'token');
    }
    return device;
  }
}

function disabled(deviceId: string): AppError {
  return new AppError(ErrorKind.FORBIDDEN, AuthErrorCode.DEVICE_DISABLED, `device_id: ${deviceId} is disabled by the operator`, 'device_id');
}
