import { AsyncResource } from 'node:async_hooks';
import { deprecate } from 'node:util';

const RESOURCE = Symbol('onecard:bound-async-resource');
const PATCHED = Symbol('onecard:cheap-async-resource-bind');
const MESSAGE = 'The asyncResource property on bound functions is deprecated';

// One deprecated accessor pair for every bound function (Node makes two per call).
const asyncResource: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get: deprecate(function (this: Record<symbol, unknown>) {
    return this[RESOURCE];
  }, MESSAGE, 'DEP0172'),
  set: deprecate(function (this: Record<symbol, unknown>, value: unknown) {
    this[RESOURCE] = value;
  }, MESSAGE, 'DEP0172'),
};

type Bind = (this: AsyncResource, fn: (...args: unknown[]) => unknown, thisArg?: unknown) => (...args: unknown[]) => unknown;

/**
 * Node's `AsyncResource#bind` wraps a fresh getter and setter in `util.deprecate` on every call
 * (for the deprecated `asyncResource` property, DEP0172). On Node 20 `deprecate` also re-parented
 * each wrapper with `Object.setPrototypeOf` (~11 µs per bind); Node 24.21 no longer does, but
 * still builds the wrappers and defines them per bound function: ~7 µs of a bare Fastify POST
 * (79 against 72 µs) and more of a heartbeat (docs/BENCHMARKS.md, 2026-12-05). Fastify binds once
 * per request with a body (its content-type parser).
 *
 * This replaces it, process-wide and once, with the same function: same async context, `this`
 * and arguments, same `length`, same deprecated `asyncResource` accessor (its getter and setter
 * shared, the resource kept under a private symbol), ~1 µs. Applied only where the built-in one
 * still carries the deprecated accessor; anything odd (a non-function) goes to the original,
 * which throws its own error.
 */
export function useCheapAsyncResourceBind(): void {
  const original = AsyncResource.prototype.bind as unknown as Bind & { [PATCHED]?: true };
  if (original[PATCHED] || !original.toString().includes('asyncResource')) return;
  const bind: Bind & { [PATCHED]?: true } = function (this: AsyncResource, fn, thisArg) {
    if (typeof fn !== 'function') return original.call(this, fn, thisArg);
    const resource = this;
    const bound =
      thisArg === undefined
        ? function (this: unknown, ...args: unknown[]) {
            return resource.runInAsyncScope(fn, this, ...args);
          }
        : resource.runInAsyncScope.bind(resource, fn, thisArg);
    Object.defineProperty(bound, 'length', { configurable: true, enumerable: false, value: fn.length, writable: false });
    Object.defineProperty(bound, 'asyncResource', asyncResource);
    Object.defineProperty(bound, RESOURCE, { configurable: true, enumerable: false, writable: true, value: resource });
    return bound as (...args: unknown[]) => unknown;
  };
  bind[PATCHED] = true;
  AsyncResource.prototype.bind = bind as unknown as typeof AsyncResource.prototype.bind;
}
