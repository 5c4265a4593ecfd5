import { BaseConfig } from '@onecard/platform';

/** transit-validation's environment: the platform's variables plus its own. */
export class TransitValidationConfig extends BaseConfig {}
