import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { EventSubject } from '@onecard/contracts';
import { APP_DEFINITION } from '@onecard/kernel';
import type { OneCardAppDefinition } from '@onecard/kernel';
import { ConsumerOptions, EventHandler, HANDLES_EVENT, HandlesEventMetadata } from './handles-event.decorator';

/** One `@HandlesEvent` method: its subject, durable consumer name and options. */
export interface RegisteredHandler {
  subject: EventSubject;
  /** The JetStream durable consumer, also the inbox's and the dead letters' `consumer`. */
  consumer: string;
  options: ConsumerOptions;
  handle: EventHandler<EventSubject>;
}

/** Consumer name per app and subject, shared by the app's replicas (dots are not allowed). */
export function durableName(app: string, subject: string): string {
  return `${app}__${subject.replace(/[.>*]/g, '_')}`;
}

/** The app's `@HandlesEvent` methods, found once on the providers. */
@Injectable()
export class EventHandlers {
  private found?: RegisteredHandler[];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(APP_DEFINITION) private readonly definition: OneCardAppDefinition,
  ) {}

  all(): RegisteredHandler[] {
    return (this.found ??= this.discover());
  }

  byConsumer(consumer: string): RegisteredHandler | undefined {
    return this.all().find((h) => h.consumer === consumer);
  }

  private discover(): RegisteredHandler[] {
    const found: RegisteredHandler[] = [];
    const seen = new Set<object>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || seen.has(instance)) continue;
      seen.add(instance);
      for (const method of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const meta = this.reflector.get<HandlesEventMetadata | undefined>(HANDLES_EVENT, instance[method] as () => void);
        if (!meta) continue;
        const consumer = durableName(this.definition.name, meta.subject);
        // Two handlers would share one durable consumer and each see only some of the events.
        if (found.some((h) => h.consumer === consumer)) throw new Error(`two @HandlesEvent handlers for ${meta.subject} in ${this.definition.name}`);
        found.push({ subject: meta.subject, consumer, options: meta.options, handle: (instance[method] as EventHandler<EventSubject>).bind(instance) });
      }
    }
    return found;
  }
}
