export * from './describe-bad-input-property';
export type { BadRequest, DeviceCall } from './mutations';
