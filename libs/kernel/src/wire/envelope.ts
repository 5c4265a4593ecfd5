import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppError } from '../errors/app-error';

export interface WireResponse {
  status: number;
  body: unknown;
}

/**
 * An app's wire envelope (DESIGN "Wire envelopes"). Success and every error pass through it,
 * so a device never sees a body of another shape.
 */
export interface WireEnvelope {
  success(result: unknown, request: FastifyRequest): WireResponse;
  failure(error: AppError, request: FastifyRequest): WireResponse;
}

export const WIRE_ENVELOPE = Symbol('WIRE_ENVELOPE');
