import { maxHeaderSize, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ErrorKind, WireEnvelope, WireResponse } from '@onecard/kernel';

/** Fastify's default longest path parameter (its `maxParamLength`, which the apps keep). */
const MAX_PARAM_LENGTH = 100;

/**
 * What the envelope sees of a request that never reached a route: no body, query or route (an
 * envelope that echoes a request field, like transit's req_id, has nothing to echo).
 */
function bareRequest(raw?: IncomingMessage): FastifyRequest {
  return { body: undefined, query: {}, params: {}, headers: raw?.headers ?? {}, method: raw?.method, url: raw?.url, raw, routeOptions: {} } as unknown as FastifyRequest;
}

function wireBytes(envelope: WireEnvelope, error: AppError, raw?: IncomingMessage): { response: WireResponse; body: string } {
  const response = envelope.failure(error, bareRequest(raw));
  return { response, body: JSON.stringify(response.body) };
}

function writeWire(res: ServerResponse, envelope: WireEnvelope, error: AppError): void {
  const { response, body } = wireBytes(envelope, error, res.req);
  res.writeHead(response.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Fastify's `frameworkErrors`: the router's refusals before any route runs (a malformed
 * percent-escape in the path, a path parameter over `maxParamLength`), which Fastify otherwise
 * answers in its own JSON.
 */
export function frameworkErrorHandler(envelope: WireEnvelope): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, _request, reply) => {
    let wire: AppError;
    if (error.code === 'FST_ERR_BAD_URL') wire = new AppError(ErrorKind.INVALID_INPUT, ErrorKind.INVALID_INPUT, 'url: malformed percent-escape in the path', 'url');
    else if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') wire = new AppError(ErrorKind.INVALID_INPUT, ErrorKind.INVALID_INPUT, `url: a path parameter is longer than ${MAX_PARAM_LENGTH} characters`, 'url');
    else wire = new AppError(ErrorKind.INTERNAL, ErrorKind.INTERNAL, 'internal error');
    writeWire(reply.raw, envelope, wire);
  };
}

/** The error a request Node's HTTP parser refused is, in the app's terms. */
function clientErrorOf(error: Error & { code?: string }): AppError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new AppError(ErrorKind.PAYLOAD_TOO_LARGE, ErrorKind.PAYLOAD_TOO_LARGE, `headers: larger than ${maxHeaderSize} bytes in all`, 'headers');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new AppError(ErrorKind.INVALID_INPUT, ErrorKind.INVALID_INPUT, 'request: not received completely in time', 'request');
    default:
      return new AppError(ErrorKind.INVALID_INPUT, ErrorKind.INVALID_INPUT, `request: not well-formed HTTP/1.1${error.code ? ` (${error.code})` : ''}`, 'request');
  }
}

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser refused (headers over
 * `maxHeaderSize`, a malformed request line or header, a request too slow to arrive) has no
 * request object, so the envelope's answer is written on the socket as a minimal HTTP/1.1
 * response; the connection is closed after it (the parser cannot resync).
 */
export function clientErrorHandler(envelope: WireEnvelope): (error: Error & { code?: string }, socket: Socket) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    if (socket.writable) {
      const { response, body } = wireBytes(envelope, clientErrorOf(error));
      const head = `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`;
      // Closing with unread bytes still queued makes the kernel reset the connection, and the
      // client may lose the answer: read (and drop) what it still sends until it hangs up.
      socket.on('data', () => undefined);
      socket.end(head + body);
      setTimeout(() => socket.destroy(), 2000).unref();
    } else {
      socket.destroy(error);
    }
  };
}

/**
 * `Expect:` other than 100-continue: Node answers 417 with an empty body unless the server
 * listens for it.
 */
export function answerExpectationsInEnvelope(server: Server, envelope: WireEnvelope): void {
  server.on('checkExpectation', (_request: IncomingMessage, res: ServerResponse) => {
    writeWire(res, envelope, new AppError(ErrorKind.INVALID_INPUT, ErrorKind.INVALID_INPUT, 'expect: only 100-continue is supported', 'expect'));
  });
}
