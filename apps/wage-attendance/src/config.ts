import { BaseConfig } from '@onecard/platform';

/** wage-attendance's environment: the platform's variables plus its own. */
export class WageAttendanceConfig extends BaseConfig {}
