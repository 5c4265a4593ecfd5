import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { SaveMachineDto } from './dto/save-machine.dto';
import { stockLevel } from './stock-level';

const errorsOf = (body: object) => validateSync(plainToInstance(SaveMachineDto, body) as object).flatMap((e) => Object.values(e.constraints ?? {}));

describe('stockLevel', () => {
  it('reads counts, decimals and percentages as their number', () => {
    expect(['120', '0', '85.5', '85%', '85.5 %', ' 7 ', '.5', '999999999'].map(stockLevel)).toEqual([120, 0, 85.5, 85, 85.5, 7, 0.5, 999999999]);
  });

  it('has no level for text that is not a non-negative decimal number', () => {
    for (const text of ['abc', '', ' ', '%', '-1', '1e3', '0x10', '85%%', '8 5', '85.', '1,000', 'NaN', 'Infinity', '1234567890', '1.1234567', '８５']) {
      expect([text, stockLevel(text)]).toEqual([text, undefined]);
    }
  });
});

describe('SaveMachineDto stock fields', () => {
  const valid = { machineNo: 'K1', cardCount: '120', inkCount: '85.5', cardRopeCover: '85%' };

  it('accepts what kiosks send, JSON numbers as their text', () => {
    expect(errorsOf(valid)).toEqual([]);
    expect(plainToInstance(SaveMachineDto, { ...valid, inkCount: 85.5 }).inkCount).toBe('85.5');
    expect(errorsOf({ ...valid, inkCount: 85.5, cardCount: 3 })).toEqual([]);
  });

  it('refuses a value that is not a number, naming the field', () => {
    expect(errorsOf({ ...valid, inkCount: 'abc' })).toEqual(['inkCount must be a number from 0 to 999999999: a count, a decimal or a percentage (120, 85.5, 85%)']);
    expect(errorsOf({ ...valid, cardCount: -1 })).toEqual(['cardCount must be a number from 0 to 999999999: a count, a decimal or a percentage (120, 85.5, 85%)']);
    expect(errorsOf({ ...valid, cardCount: true })).toContain('cardCount must be a string');
    expect(errorsOf({ ...valid, cardRopeCover: '1'.repeat(33) })).toContain('cardRopeCover must be at most 32 characters');
    expect(errorsOf({ machineNo: 'K1', cardCount: '1', inkCount: '1' })).toContain('cardRopeCover is required');
  });
});
