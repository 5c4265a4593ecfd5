import { CardIssuance1732400000000 } from './1732400000000-card-issuance';
import { SessionExpiry1732400000001 } from './1732400000001-session-expiry';
import { StockAsReported1734700000000 } from './1734700000000-stock-as-reported';
import { MachineLastSeen1734800000000 } from './1734800000000-machine-last-seen';
import { MachinePresence1735200000000 } from './1735200000000-machine-presence';

/** card-issuance's committed migrations, oldest first. A landed migration is never edited. */
export const migrations: Array<new () => unknown> = [
  CardIssuance1732400000000, SessionExpiry1732400000001, StockAsReported1734700000000, MachineLastSeen1734800000000, MachinePresence1735200000000,
];
