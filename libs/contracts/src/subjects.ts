import { CardIssuedEvent, MachineStatusChangedEvent, MachineStockLowEvent } from './events/card-issuance.events';
import { AccountOpenedEvent, CardStatusChangedEvent } from './events/campus-card.events';
import { TuyaCardChangedEvent } from './events/tuya-bridge.events';
import { PersonIdentifiedEvent, TerminalStatusChangedEvent } from './events/wage-attendance.events';
import { CardCheckedEvent, DeviceStatusChangedEvent, TicketCheckedEvent, WhitelistChangedEvent } from './events/transit-validation.events';
import { EventMeta } from './events/event-meta';
import {
  GetCampusCardReply,
  GetCampusCardRequest,
  GetWhitelistEntryReply,
  GetWhitelistEntryRequest,
} from './rpc/rpc-contracts';
import type { AppName } from './apps';

/**
 * Durable events, `onecard.<app>.<entity>.<past-tense-verb>`. Apps refer to these constants,
 * never to the strings. A breaking payload change gets a new `….v2` subject beside the old one.
 */
export const Events = {
  CardIssued: 'onecard.card-issuance.card.issued',
  MachineStockLow: 'onecard.card-issuance.machine.stock-low',
  MachineStatusChanged: 'onecard.card-issuance.machine.status-changed',
  CardStatusChanged: 'onecard.campus-card.card.status-changed',
  AccountOpened: 'onecard.campus-card.account.opened',
  TuyaCardChanged: 'onecard.tuya-bridge.card.changed',
  PersonIdentified: 'onecard.wage-attendance.person.identified',
  TerminalStatusChanged: 'onecard.wage-attendance.device.status-changed',
  CardChecked: 'onecard.transit-validation.card.checked',
  TicketChecked: 'onecard.transit-validation.ticket.checked',
  WhitelistChanged: 'onecard.transit-validation.whitelist.changed',
  DeviceStatusChanged: 'onecard.transit-validation.device.status-changed',
} as const;
export type EventSubject = (typeof Events)[keyof typeof Events];

/** Subject → payload class: the class is the type, the validator and the AsyncAPI schema. */
export const EventContracts = {
  [Events.CardIssued]: CardIssuedEvent,
  [Events.MachineStockLow]: MachineStockLowEvent,
  [Events.MachineStatusChanged]: MachineStatusChangedEvent,
  [Events.CardStatusChanged]: CardStatusChangedEvent,
  [Events.AccountOpened]: AccountOpenedEvent,
  [Events.TuyaCardChanged]: TuyaCardChangedEvent,
  [Events.PersonIdentified]: PersonIdentifiedEvent,
  [Events.TerminalStatusChanged]: TerminalStatusChangedEvent,
  [Events.CardChecked]: CardCheckedEvent,
  [Events.TicketChecked]: TicketCheckedEvent,
  [Events.WhitelistChanged]: WhitelistChangedEvent,
  [Events.DeviceStatusChanged]: DeviceStatusChangedEvent,
} as const satisfies Record<EventSubject, new () => EventMeta>;

/** The whole message on the bus for a subject. */
export type EventMessage<S extends EventSubject> = InstanceType<(typeof EventContracts)[S]>;
/** What a producer supplies; the platform adds eventId, occurredAt and producer. */
export type EventPayload<S extends EventSubject> = Omit<EventMessage<S>, keyof EventMeta>;

/** Request/reply over core NATS: `onecard.<app>.rpc.<action>`, for reads that must be fresh. */
export const Rpc = {
  GetCampusCard: 'onecard.campus-card.rpc.get-card',
  GetWhitelistEntry: 'onecard.transit-validation.rpc.get-whitelist-entry',
} as const;
export type RpcSubject = (typeof Rpc)[keyof typeof Rpc];

export const RpcContracts = {
  [Rpc.GetCampusCard]: { request: GetCampusCardRequest, reply: GetCampusCardReply },
  [Rpc.GetWhitelistEntry]: { request: GetWhitelistEntryRequest, reply: GetWhitelistEntryReply },
} as const satisfies Record<RpcSubject, { request: new () => object; reply: new () => object }>;

export type RpcRequest<S extends RpcSubject> = InstanceType<(typeof RpcContracts)[S]['request']>;
export type RpcReply<S extends RpcSubject> = InstanceType<(typeof RpcContracts)[S]['reply']>;

/** The app a subject belongs to (its second token). */
export function subjectOwner(subject: EventSubject | RpcSubject): AppName {
  return subject.split('.')[1] as AppName;
}
