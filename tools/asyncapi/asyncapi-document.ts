import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { APP_NAMES, EventContracts, Events, EventSubject, RpcContracts, RpcSubject, subjectOwner } from '@onecard/contracts';

type Json = Record<string, unknown>;

/** `onecard.card-issuance.card.issued` → `cardIssuance_cardIssued`-style ids AsyncAPI accepts. */
function idOf(subject: string): string {
  return subject
    .replace(/^onecard\./, '')
    .split(/[.-]/)
    .map((part, i) => (i === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1)))
    .join('');
}

/** Inline schemas, with inherited fields (EventMeta) merged and refs resolved. */
function schemaOf(name: string, all: Record<string, Json>): Json {
  const schema = all[name];
  if (!schema) throw new Error(`no schema for ${name}`);
  return JSON.parse(JSON.stringify(schema)) as Json;
}

/** The AsyncAPI 3 document of every event and rpc subject, built from the contract classes. */
export function buildAsyncApi(): Json {
  const schemas = validationMetadatasToSchemas({ refPointerPrefix: '#/components/schemas/' }) as Record<string, Json>;
  const channels: Json = {};
  const operations: Json = {};
  const messages: Json = {};
  const componentSchemas: Json = {};

  const eventName = Object.fromEntries(Object.entries(Events).map(([k, v]) => [v, k])) as Record<EventSubject, string>;
  for (const subject of Object.values(Events).sort()) {
    const id = idOf(subject);
    const cls = EventContracts[subject];
    componentSchemas[cls.name] = schemaOf(cls.name, schemas);
    messages[id] = {
      name: eventName[subject],
      title: subject,
      contentType: 'application/json',
      headers: { type: 'object', properties: { 'Nats-Msg-Id': { type: 'string', description: 'the producing outbox row id (= eventId)' } } },
      payload: { $ref: `#/components/schemas/${cls.name}` },
    };
    channels[id] = {
      address: subject,
      description: `Durable event on JetStream stream ONECARD, produced by ${subjectOwner(subject)}.`,
      messages: { [id]: { $ref: `#/components/messages/${id}` } },
    };
    operations[`publish_${id}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${id}` },
      summary: `${subjectOwner(subject)} publishes ${subject} from its outbox`,
      messages: [{ $ref: `#/channels/${id}/messages/${id}` }],
    };
  }

  for (const subject of Object.values(RpcContracts ? (Object.keys(RpcContracts) as RpcSubject[]) : []).sort()) {
    const id = idOf(subject);
    const { request, reply } = RpcContracts[subject];
    componentSchemas[request.name] = schemaOf(request.name, schemas);
    componentSchemas[reply.name] = schemaOf(reply.name, schemas);
    messages[`${id}Request`] = { name: request.name, contentType: 'application/json', payload: { $ref: `#/components/schemas/${request.name}` } };
    messages[`${id}Reply`] = {
      name: reply.name,
      contentType: 'application/json',
      payload: {
        oneOf: [
          { type: 'object', properties: { ok: { const: true }, data: { $ref: `#/components/schemas/${reply.name}` } }, required: ['ok', 'data'] },
          { type: 'object', properties: { ok: { const: false }, error: { type: 'object', properties: { kind: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } } } }, required: ['ok', 'error'] },
        ],
      },
    };
    channels[id] = {
      address: subject,
      description: `Core NATS request/reply answered by ${subjectOwner(subject)} (queue group per app).`,
      messages: { request: { $ref: `#/components/messages/${id}Request` }, reply: { $ref: `#/components/messages/${id}Reply` } },
    };
    operations[`answer_${id}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${id}` },
      summary: `${subjectOwner(subject)} answers ${subject}`,
      messages: [{ $ref: `#/channels/${id}/messages/request` }],
      reply: { channel: { $ref: `#/channels/${id}` }, messages: [{ $ref: `#/channels/${id}/messages/reply` }] },
    };
  }

  // Schemas referenced by others (EventMeta) are included once.
  for (const [name, schema] of Object.entries(schemas)) if (!(name in componentSchemas) && name === 'EventMeta') componentSchemas[name] = schema;

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'OneCard events and requests',
      version: '1.0.0',
      description:
        `Events between the OneCard services (${APP_NAMES.join(', ')}). Every event carries eventId, occurredAt and producer; ` +
        'consumers are durable JetStream consumers, one per app and subject, and apply an event once (inbox). ' +
        'A breaking payload change gets a new `….v2` subject beside the old one. Generated from @onecard/contracts by `npm run asyncapi`.',
    },
    defaultContentType: 'application/json',
    // docker-compose's three-node cluster: a client lists every node (NATS_URL) and is moved to another when one goes.
    servers: Object.fromEntries(
      [1, 2, 3].map((n) => [`nats-${n}`, { host: `nats-${n}:4222`, protocol: 'nats', description: `Node ${n} of the JetStream cluster \`onecard\`; stream ONECARD (NATS_STREAM_REPLICAS copies) holds every event.` }]),
    ),
    channels,
    operations,
    components: { messages, schemas: componentSchemas },
  };
}
