import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { useCheapAsyncResourceBind } from './async-resource-bind';

describe('useCheapAsyncResourceBind', () => {
  const original = AsyncResource.prototype.bind;
  beforeAll(() => useCheapAsyncResourceBind());
  afterAll(() => {
    AsyncResource.prototype.bind = original;
  });

  it('runs the function in the async context it was bound in, with its this and arguments', () => {
    const store = new AsyncLocalStorage<string>();
    const bound = store.run('bound here', () => new AsyncResource('test').bind(function (this: unknown, a: number, b: number) {
      return { context: store.getStore(), self: this, sum: a + b };
    }));
    const receiver = { name: 'receiver' };
    expect(store.run('called here', () => bound.call(receiver, 1, 2))).toEqual({ context: 'bound here', self: receiver, sum: 3 });
    // Node's signature has thisArg; @types/node's does not.
    const bindWithThis = AsyncResource.prototype.bind as unknown as (this: AsyncResource, fn: () => unknown, thisArg: unknown) => () => unknown;
    const withThis = bindWithThis.call(new AsyncResource('test'), function (this: unknown) {
      return this;
    }, receiver);
    expect(withThis()).toBe(receiver);
    expect(AsyncResource.bind(() => store.getStore())()).toBeUndefined();
  });

  it('keeps the length and the deprecated asyncResource accessor', () => {
    const bound = new AsyncResource('test').bind((a: number, b: number) => a + b);
    expect(bound.length).toBe(2);
    expect(Object.keys(bound)).toEqual(['asyncResource']);
    // Reading it would print DEP0172, as Node's own does; its shape is Node's.
    const descriptor = Object.getOwnPropertyDescriptor(bound, 'asyncResource');
    expect(descriptor).toMatchObject({ enumerable: true, configurable: true, get: expect.any(Function), set: expect.any(Function) });
  });

  it('refuses a non-function as Node does, and patches once', () => {
    expect(() => new AsyncResource('test').bind(42 as unknown as () => void)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    const patched = AsyncResource.prototype.bind;
    useCheapAsyncResourceBind();
    expect(AsyncResource.prototype.bind).toBe(patched);
  });
});
