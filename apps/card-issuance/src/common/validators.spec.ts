import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { OpenCardUserDetailDto } from '../orders/dto/order.dto';
import { ApduExeResultDto } from '../personalisation/dto/personalisation.dto';

const errorsOf = <T extends object>(cls: new () => T, body: object) =>
  validateSync(plainToInstance(cls, body) as object).flatMap((e) => Object.values(e.constraints ?? {}));

describe('kiosk field rules', () => {
  it('restores the leading zeros of a pickup code sent as a JSON number, and nothing else', () => {
    expect(plainToInstance(OpenCardUserDetailDto, { pickupCode: 12345 }).pickupCode).toBe('012345');
    expect(plainToInstance(OpenCardUserDetailDto, { pickupCode: 7 }).pickupCode).toBe('000007');
    expect(plainToInstance(OpenCardUserDetailDto, { pickupCode: '12345' }).pickupCode).toBe('12345');
    expect(plainToInstance(OpenCardUserDetailDto, { pickupCode: 1234567 }).pickupCode).toBe(1234567);
    expect(plainToInstance(OpenCardUserDetailDto, { pickupCode: 12.5 }).pickupCode).toBe(12.5);
    expect(errorsOf(OpenCardUserDetailDto, { phoneNumber: '13900000000', pickupCode: 12345, machineNo: 42 })).toEqual([]);
  });

  it('wants a status word in the R-APDU unless the kiosk reports its own failure', () => {
    const report = { apduIndex: '2', userId: 'u', uid: '04A1B2C3' };
    expect(errorsOf(ApduExeResultDto, { ...report, rapdu: '', result: '0x00' })).toEqual(['rapdu must hold at least a status word (4 hex digits)']);
    expect(errorsOf(ApduExeResultDto, { ...report, rapdu: '90', result: '0x00' })).toContain('rapdu must hold at least a status word (4 hex digits)');
    expect(errorsOf(ApduExeResultDto, { ...report, rapdu: '', result: '0x01' })).toEqual([]);
    expect(errorsOf(ApduExeResultDto, { ...report, rapdu: '6A', result: ' 0X01 ' })).toEqual([]);
    expect(errorsOf(ApduExeResultDto, { ...report, rapdu: 'zz', result: '0x01' })).toEqual([expect.stringMatching(/^rapdu must/)]);
  });
});
