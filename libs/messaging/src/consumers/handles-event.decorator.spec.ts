import { consumerOptions } from './handles-event.decorator';

describe('@HandlesEvent options', () => {
  it('defaults to five deliveries, one at a time, in a transaction', () => {
    expect(consumerOptions()).toEqual({ maxDeliveries: 5, parallel: 1, transaction: true });
    expect(consumerOptions({ parallel: 8, transaction: false })).toEqual({ maxDeliveries: 5, parallel: 8, transaction: false });
  });

  it('refuses a bad value when the class loads, naming the option', () => {
    expect(() => consumerOptions({ maxDeliveries: 0 })).toThrow('@HandlesEvent maxDeliveries must be an integer of at least 1 (got 0)');
    expect(() => consumerOptions({ maxDeliveries: 2.5 })).toThrow(/maxDeliveries/);
    expect(() => consumerOptions({ parallel: 0 })).toThrow('@HandlesEvent parallel must be an integer from 1 to 256 (got 0)');
    expect(() => consumerOptions({ parallel: 1000 })).toThrow(/parallel/);
  });
});
