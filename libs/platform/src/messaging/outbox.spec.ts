import { EntityManager } from 'typeorm';
import { Events } from '@onecard/contracts';
import type { OneCardAppDefinition } from '../app/app-definition';
import { Outbox } from './outbox';

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
});
