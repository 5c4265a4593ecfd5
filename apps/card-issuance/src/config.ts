import { BaseConfig } from '@onecard/platform';

/** card-issuance's environment: the platform's variables plus its own. */
export class CardIssuanceConfig extends BaseConfig {}
