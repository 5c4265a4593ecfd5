import { AdminApis, SourceStatus } from '../upstream/admin-apis';
import { AttendanceTerminal, FleetDevice, Kiosk, TransitDevice } from './fleet-device';
import { kioskDevice, terminalDevice, validatorDevice } from './fleet.normalise';

export interface FleetView {
  sources: SourceStatus[];
  devices: FleetDevice[];
}

/** The whole fleet from the three apps that keep devices; one that does not answer is a source with ok: false. */
export class FleetService {
  constructor(private readonly apis: AdminApis) {}

  async fleet(): Promise<FleetView> {
    const max = this.apis.maxPages;
    const { sources, answers } = await this.apis.gather(['transit-validation', 'card-issuance', 'wage-attendance'], async (client) => {
      switch (client.app) {
        case 'transit-validation':
          return (await client.all<TransitDevice>('/admin/devices', {}, max)).map(validatorDevice);
        case 'card-issuance':
          return (await client.all<Kiosk>('/admin/machines', {}, max)).map(kioskDevice);
        default:
          return (await client.all<AttendanceTerminal>('/admin/devices', {}, max)).map(terminalDevice);
      }
    });
    return { sources, devices: answers.flatMap((a) => a.value) };
  }
}
