import { BaseConfig } from '@onecard/kernel';

/** campus-card's environment: the platform's variables plus its own. */
export class CampusCardConfig extends BaseConfig {}
