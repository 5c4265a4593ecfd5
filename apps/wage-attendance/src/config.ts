import { BaseConfig } from '@onecard/kernel';

/** wage-attendance's environment: the platform's variables plus its own. */
export class WageAttendanceConfig extends BaseConfig {}
