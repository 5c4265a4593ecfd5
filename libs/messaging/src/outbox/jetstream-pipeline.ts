import { createInbox, headers, Msg, NatsConnection } from 'nats';

/** Messages written per turn of the event loop. */
const SLICE = 64;

export interface PipelinedMessage {
  subject: string;
  data: string;
  /** Sent as Nats-Msg-Id: the stream stores a message id once within its duplicate window. */
  msgId: string;
}

/**
 * Publishes messages to JetStream pipelined: all of them are written to the connection, in the
 * given order (so the stream receives them in that order), before any ack is awaited; one the
 * client refuses to send stops the rest (they fail unsent). Resolves
 * with one entry per message: undefined once the stream has it (stored now or, as a duplicate,
 * earlier), else the error.
 *
 * Why not `jetstream().publish()` per message: nats.js makes each one a request with its own
 * promise, timer and two Errors with stack traces (one on success too), which was most of the
 * relay's CPU. Here a batch shares one reply subscription (acks matched by the reply subject's
 * index) and one timer. The acks are read as `publish()` reads them: a status header (503 = no
 * stream for the subject), an `error` object, or an ack without a stream are failures.
 */
export function publishPipelined<T>(
  nc: NatsConnection,
  items: T[],
  toMessage: (item: T) => PipelinedMessage,
  timeoutMs: number,
): Promise<Array<Error | undefined>> {
  return new Promise((resolve) => {
    const results = new Array<Error | undefined>(items.length);
    const settled = new Uint8Array(items.length);
    let pending = items.length;
    let done = false;
    const finish = (reason?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (let i = 0; i < items.length; i++) if (!settled[i]) results[i] = new Error(reason ?? 'no JetStream ack');
      if (!sub.isClosed()) sub.unsubscribe();
      resolve(results);
    };
    const settle = (i: number, error: Error | undefined) => {
      if (done || !(i >= 0 && i < items.length) || settled[i]) return;
      settled[i] = 1;
      results[i] = error;
      if (--pending === 0) finish();
    };

    const inbox = createInbox();
    const sub = nc.subscribe(`${inbox}.*`, {
      callback: (error, msg) => {
        if (error) finish(`ack subscription failed: ${error.message}`);
        else settle(Number(msg.subject.slice(inbox.length + 1)), ackError(msg));
      },
    });
    // Closed under us (connection closed or drained at shutdown): whatever is unacknowledged failed.
    void sub.closed.then(() => finish('connection closed before the JetStream ack'));
    const timer = setTimeout(() => finish(`JetStream ack timeout (${timeoutMs} ms)`), timeoutMs);

    // In slices, yielding between them: encoding and writing a few hundred messages at once held
    // the event loop for up to 5 ms (it showed in the HTTP p99 while the relay shared the request
    // thread; on its own thread, acks are still read while a large batch goes out). The order is unchanged.
    const issue = (from: number) => {
      const to = Math.min(from + SLICE, items.length);
      for (let i = from; i < to && !done; i++) {
        try {
          const message = toMessage(items[i]);
          const h = headers();
          h.set('Nats-Msg-Id', message.msgId);
          nc.publish(message.subject, message.data, { reply: `${inbox}.${i}`, headers: h });
        } catch (error) {
          // Refused before sending (larger than the server's max_payload, say): nothing after it
          // is sent either, so no later message is stored before it.
          settle(i, error as Error);
          for (let j = i + 1; j < items.length; j++) settle(j, new Error('not sent: an earlier message was refused'));
          return;
        }
      }
      if (to < items.length && !done) setImmediate(issue, to);
    };
    if (items.length === 0) finish();
    else issue(0);
  });
}

function ackError(msg: Msg): Error | undefined {
  if (msg.headers?.hasError) return new Error(`JetStream publish failed: ${msg.headers.code} ${msg.headers.description}`.trim());
  let ack: { stream?: string; error?: { code?: number; err_code?: number; description?: string } };
  try {
    ack = JSON.parse(msg.string());
  } catch {
    return new Error('invalid JetStream ack');
  }
  if (ack.error) return new Error(ack.error.description ?? `JetStream error ${ack.error.err_code ?? ack.error.code}`);
  if (!ack.stream) return new Error('invalid JetStream ack');
  return undefined;
}
