import { BaseConfig } from '@onecard/kernel';

/** tuya-bridge's environment: the platform's variables plus its own. */
export class TuyaBridgeConfig extends BaseConfig {}
