/** Errors of device registration and remote configuration (ret_codes in wire/ret-codes.ts). */
export enum DeviceErrorCode {
  DEVICE_EXISTS = 'DEVICE_EXISTS',
  DEVICE_NOT_FOUND = 'DEVICE_NOT_FOUND',
}
