import { DevicesAndWhitelist1733400000000 } from './1733400000000-devices-and-whitelist';
import { QrKeys1733400000001 } from './1733400000001-qr-keys';
import { History1733400000002 } from './1733400000002-history';
import { CheckRetries1733400000003 } from './1733400000003-check-retries';
import { DeviceDisabled1733800000000 } from './1733800000000-device-disabled';
import { DeadRows1733800000001 } from './1733800000001-dead-rows';
import { TelemetryAsSent1734600000000 } from './1734600000000-telemetry-as-sent';
import { ReportInterval1734600000001 } from './1734600000001-report-interval';
import { CardNoCheck1734600000002 } from './1734600000002-card-no-check';
import { DevicePresence1735200000000 } from './1735200000000-device-presence';

/** transit-validation's committed migrations, oldest first. A landed migration is never edited. */
export const migrations: Array<new () => unknown> = [
  DevicesAndWhitelist1733400000000, QrKeys1733400000001, History1733400000002, CheckRetries1733400000003, DeviceDisabled1733800000000,
  DeadRows1733800000001, TelemetryAsSent1734600000000, ReportInterval1734600000001,
  CardNoCheck1734600000002, DevicePresence1735200000000,
];
