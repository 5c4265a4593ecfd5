import { EntityManager } from 'typeorm';
import { Events } from '@onecard/contracts';
import type { OneCardAppDefinition } from '@onecard/kernel';
import { Outbox, OUTBOX_EVENTS_PER_ROW, OUTBOX_WRITTEN } from './outbox';

describe('Outbox', () => {
  const outbox = new Outbox({ name: 'card-issuance' } as OneCardAppDefinition);

  it('refuses to record an event outside a transaction', async () => {
    const manager = { queryRunner: undefined } as unknown as EntityManager;
    await expect(
      outbox.add(manager, Events.MachineStockLow, { machineNo: 'K1', projectId: 'P', item: 'inkCount', remaining: 1, threshold: 5 }),
    ).rejects.toThrow(/outside a transaction/);
  });

  it('fixes the payload type by subject (checked by `npm run typecheck`)', () => {
    const publishWrong = (m: EntityManager) =>
      // @ts-expect-error a stock-low payload is not a card.issued payload
      outbox.add(m, Events.CardIssued, { machineNo: 'K1', projectId: 'P', item: 'inkCount', remaining: 1, threshold: 5 });
    const publishUnknownSubject = (m: EntityManager) =>
      // @ts-expect-error subjects come from the contracts, not string literals
      outbox.add(m, 'onecard.card-issuance.card.printed', {});
    expect([publishWrong, publishUnknownSubject]).toHaveLength(2);
  });

  it('adds eventId, occurredAt and the producing app in the transaction', async () => {
    const queries: unknown[][] = [];
    const manager = {
      queryRunner: { isTransactionActive: true, data: {} },
      query: async (...args: unknown[]) => queries.push(args),
    } as unknown as EntityManager;
    const message = await outbox.add(manager, Events.MachineStockLow, { machineNo: 'K1', projectId: 'P', item: 'inkCount', remaining: 1, threshold: 5 });
    expect(message).toMatchObject({ producer: 'card-issuance', machineNo: 'K1', eventId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(queries[0][1]).toEqual([message.eventId, Events.MachineStockLow, JSON.stringify(message)]);
  });
  describe('addMany', () => {
    const stockLow = (machineNo: string) => ({ machineNo, projectId: 'P', item: 'inkCount' as const, remaining: 1, threshold: 5 });
    const inTransaction = (queries: unknown[][]) =>
      ({ queryRunner: { isTransactionActive: true, data: {} }, query: async (...args: unknown[]) => queries.push(args) }) as unknown as EntityManager;

    it('records every event with one statement, as one batch row, in the order given', async () => {
      const queries: unknown[][] = [];
      const manager = inTransaction(queries);
      const messages = await outbox.addMany(manager, Events.MachineStockLow, [stockLow('K1'), stockLow('K2'), stockLow('K3')]);
      expect(messages.map((m) => m.machineNo)).toEqual(['K1', 'K2', 'K3']);
      expect(messages[0]).toMatchObject({ producer: 'card-issuance', eventId: expect.stringMatching(/^[0-9a-f-]{36}$/), occurredAt: expect.any(String) });
      expect(new Set(messages.map((m) => m.eventId)).size).toBe(3);
      expect(queries).toHaveLength(1);
      expect(queries[0][0]).toMatch(/WITH ORDINALITY[\s\S]*ORDER BY n/);
      expect(queries[0][1]).toEqual([Events.MachineStockLow, JSON.stringify([messages])]);
      expect(manager.queryRunner!.data).toEqual({ [OUTBOX_WRITTEN]: true });
    });

    it(`splits more than OUTBOX_EVENTS_PER_ROW events into rows of at most that many, in order`, async () => {
      const queries: unknown[][] = [];
      const n = OUTBOX_EVENTS_PER_ROW * 2 + 1;
      const messages = await outbox.addMany(inTransaction(queries), Events.MachineStockLow, Array.from({ length: n }, (_, i) => stockLow(`K${i}`)));
      expect(queries).toHaveLength(1);
      const batches = JSON.parse((queries[0][1] as string[])[1]) as Array<Array<{ eventId: string }>>;
      expect(batches.map((b) => b.length)).toEqual([OUTBOX_EVENTS_PER_ROW, OUTBOX_EVENTS_PER_ROW, 1]);
      expect(batches.flat().map((m) => m.eventId)).toEqual(messages.map((m) => m.eventId));
    });

    it('refuses outside a transaction even with nothing to record, and records nothing for an empty list', async () => {
      await expect(outbox.addMany({ queryRunner: undefined } as unknown as EntityManager, Events.MachineStockLow, [])).rejects.toThrow(/addMany.*outside a transaction/);
      const queries: unknown[][] = [];
      expect(await outbox.addMany(inTransaction(queries), Events.MachineStockLow, [])).toEqual([]);
      expect(queries).toHaveLength(0);
    });

    it('fixes the payload type by subject, as add does', () => {
      // @ts-expect-error a stock-low payload is not a card.issued payload
      const publishWrong = (m: EntityManager) => outbox.addMany(m, Events.CardIssued, [stockLow('K1')]);
      expect(publishWrong).toBeDefined();
    });
  });
});
