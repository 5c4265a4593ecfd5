/** Errors of /get_token and of the token every other validator call carries. */
export enum AuthErrorCode {
  TOKEN_MISSING = 'TOKEN_MISSING',
  TOKEN_INVALID = 'TOKEN_INVALID',
  TOKEN_EXPIRED = 'TOKEN_EXPIRED',
  TOKEN_DEVICE_MISMATCH = 'TOKEN_DEVICE_MISMATCH',
  DEVICE_UNKNOWN = 'DEVICE_UNKNOWN',
  SIGN_INVALID = 'SIGN_INVALID',
  TIMESTAMP_SKEW = 'TIMESTAMP_SKEW',
  NONCE_REUSED = 'NONCE_REUSED',
  /** An operator took the device out of service (POST /admin/devices/{id}/disable). */
  DEVICE_DISABLED = 'DEVICE_DISABLED',
}
