import { judge } from './judgement';

const noon = 12 * 3600;
const at = new Date('2024-06-01T04:00:00Z');
const face = { permission: 1, windows: [], validFrom: null, validUntil: null };

describe('recognition judgement', () => {
  it('passes an authorised face inside its windows and period', () => {
    const entitlement = { permission: 3, windows: [{ from: 7 * 3600, to: 19 * 3600 }], validFrom: new Date('2024-01-01T00:00:00Z'), validUntil: new Date('2025-01-01T00:00:00Z') };
    expect(judge({ type: 1, recMode: 1, secondOfDay: noon, at, entitlement, cardBlocked: false })).toEqual({
      type: 1, passTimeType: 1, permissionTimeType: 1, recModeType: '1', cardBlocked: false, pass: true,
    });
  });

  it('reports outside the windows or the period as 2, and nothing to judge as 3', () => {
    const windows = [{ from: 7 * 3600, to: 8 * 3600 }];
    expect(judge({ type: 1, recMode: 1, secondOfDay: noon, at, entitlement: { ...face, windows }, cardBlocked: false })).toMatchObject({ passTimeType: 2, pass: false });
    expect(judge({ type: 1, recMode: 1, secondOfDay: noon, at, entitlement: { ...face, validUntil: at }, cardBlocked: false })).toMatchObject({ permissionTimeType: 2, pass: false });
    expect(judge({ type: 1, recMode: 1, secondOfDay: noon, at, entitlement: { ...face, validFrom: new Date(at.getTime() + 1) }, cardBlocked: false })).toMatchObject({ permissionTimeType: 2 });
    expect(judge({ type: 1, recMode: 1, secondOfDay: noon, at, entitlement: face, cardBlocked: false })).toMatchObject({ passTimeType: 3, permissionTimeType: 3, recModeType: '1', pass: true });
  });

  it('judges the mode against the permission; a stranger has none', () => {
    const mode = (permission: number, recMode: number) => judge({ type: 1, recMode, secondOfDay: noon, at, entitlement: { ...face, permission }, cardBlocked: false }).recModeType;
    expect([1, 2, 3, 4].map((m) => mode(0, m))).toEqual(['2', '2', '2', '2']);
    expect([1, 2, 3, 4].map((m) => mode(1, m))).toEqual(['1', '2', '1', '1']);
    expect([1, 2, 3, 4].map((m) => mode(2, m))).toEqual(['2', '1', '1', '2']);
    expect([1, 2, 3, 4].map((m) => mode(3, m))).toEqual(['1', '1', '1', '1']);
    expect(judge({ type: 1, recMode: 1, secondOfDay: noon, at, cardBlocked: false })).toEqual({
      type: 1, passTimeType: 3, permissionTimeType: 3, recModeType: '2', cardBlocked: false, pass: false,
    });
  });

  it('never matches a blocked card read by card, whatever the terminal said; a face alone is not a card', () => {
    const card = { ...face, permission: 3 };
    expect(judge({ type: 1, recMode: 2, secondOfDay: noon, at, entitlement: card, cardBlocked: true })).toMatchObject({ type: 2, cardBlocked: true, pass: false });
    expect(judge({ type: 1, recMode: 3, secondOfDay: noon, at, entitlement: card, cardBlocked: true })).toMatchObject({ type: 2, pass: false });
    expect(judge({ type: 1, recMode: 1, secondOfDay: noon, at, entitlement: card, cardBlocked: true })).toMatchObject({ type: 1, cardBlocked: false, pass: true });
    expect(judge({ type: 2, recMode: 1, secondOfDay: noon, at, entitlement: card, cardBlocked: false })).toMatchObject({ type: 2, pass: false });
  });
});
