import { AttendanceTerminal, Kiosk, TransitDevice } from './fleet-device';
import { kioskDevice, terminalDevice, validatorDevice } from './fleet.normalise';

const validator: TransitDevice = {
  device_id: 'BUS-1', enterprise_id: '398', line_id: 'L1', disabled: false, online: true, last_seen_time: '2026-12-05 10:00:00',
  lng: 114.05, lat: 22.54, speed: 30, course: 90, software_ver: 102, version_code_all: 'v3', version_code_add: '', line_version_code_all: null,
};
const kiosk: Kiosk = {
  machineNo: 'K1', projectId: 'P1', address: '1 Test Road', status: 2,
  stock: { cardCount: 5, inkCount: 80, cardRopeCover: 50 }, stockReported: { cardCount: '5', inkCount: '80%', cardRopeCover: '50' },
  lowStockThresholds: { cardCount: 20, inkCount: 20, cardRopeCover: 20 }, lowStock: { cardCount: true, inkCount: false, cardRopeCover: false },
  stockReportedAt: '2026-12-05 09:00:00', online: false, lastSeenAt: null,
};
const terminal: AttendanceTerminal = { deviceKey: 'T1', tag: '', name: '闸机', state: 3, onlineState: 2, versionNo: null, lastActiveTime: null };

describe('fleet normalisers', () => {
  it('makes a validator a fleet device with its line, position and versions', () => {
    expect(validatorDevice(validator)).toEqual({
      app: 'transit-validation', kind: 'validator', id: 'BUS-1', name: null, group: 'L1', online: true, status: 'enabled', lastSeen: '2026-12-05 10:00:00',
      lng: 114.05, lat: 22.54, versions: { software: 102, whitelistAll: 'v3', whitelistAdd: '', lineWhitelist: null }, stock: null,
    });
  });

  it('plots no validator whose position is unknown or not a number', () => {
    expect(validatorDevice({ ...validator, lng: null, lat: null, disabled: true, last_seen_time: null })).toMatchObject({ lng: null, lat: null, status: 'disabled', lastSeen: null });
    expect(validatorDevice({ ...validator, lng: Number.NaN, lat: 'x' as unknown as number })).toMatchObject({ lng: null, lat: null });
  });

  it('makes a kiosk a fleet device with its project, address and stock, and no position', () => {
    expect(kioskDevice(kiosk)).toEqual({
      app: 'card-issuance', kind: 'kiosk', id: 'K1', name: '1 Test Road', group: 'P1', online: false, status: 'disabled', lastSeen: null, lng: null, lat: null, versions: null,
      stock: { levels: { cardCount: 5, inkCount: 80, cardRopeCover: 50 }, low: { cardCount: true, inkCount: false, cardRopeCover: false }, reportedAt: '2026-12-05 09:00:00' },
    });
    expect(kioskDevice({ ...kiosk, status: 1 }).status).toBe('enabled');
  });

  it('makes a terminal a fleet device, online from onlineState 1 and its state named', () => {
    expect(terminalDevice(terminal)).toEqual({
      app: 'wage-attendance', kind: 'terminal', id: 'T1', name: '闸机', group: null, online: false, status: 'deleted', lastSeen: null, lng: null, lat: null, versions: { software: null }, stock: null,
    });
    expect(terminalDevice({ ...terminal, tag: 'site-A', state: 1, onlineState: 1, versionNo: '6.0011', lastActiveTime: '2026-12-05 10:00:00' })).toMatchObject({
      group: 'site-A', status: 'unbound', online: true, versions: { software: '6.0011' }, lastSeen: '2026-12-05 10:00:00',
    });
    expect(terminalDevice({ ...terminal, state: 2 }).status).toBe('bound');
  });
});
