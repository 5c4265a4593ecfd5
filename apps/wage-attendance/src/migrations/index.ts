import { DevicesPersons1734100000000 } from './1734100000000-devices-persons';
import { RecognitionsCallbacks1734100000001 } from './1734100000001-recognitions-callbacks';
import { DeviceOnline1734100000002 } from './1734100000002-device-online';

/** wage-attendance's committed migrations, oldest first. A landed migration is never edited. */
export const migrations: Array<new () => unknown> = [DevicesPersons1734100000000, RecognitionsCallbacks1734100000001, DeviceOnline1734100000002];
