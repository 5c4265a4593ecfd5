import { deviceValidationPipe, InvalidInputError } from '@onecard/kernel';
import { snakeToCamel } from '../tuya-api/read-answer';

/**
 * The call's parameters from the query string and, where a client sends one, a JSON body (the
 * document says "body" even for its GET calls; a name in both takes the body's value), under
 * the document's camelCase names or their snake_case forms, validated as `type` (unknown names
 * dropped, a bad value refused naming the field).
 */
export async function tuyaParams<T extends object>(type: new () => T, query: unknown, body: unknown): Promise<T> {
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) throw new InvalidInputError('body', 'body must be a JSON object');
  const merged: Record<string, unknown> = {};
  for (const source of [query, body]) {
    if (!source || typeof source !== 'object') continue;
    for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
      // A query string repeats a name to give a list; the document's parameters are single values.
      if (Array.isArray(value) && source === query) throw new InvalidInputError(snakeToCamel(key), `${snakeToCamel(key)} must be given once`);
      merged[snakeToCamel(key)] = value;
    }
  }
  return (await deviceValidationPipe.transform(merged, { type: 'query', metatype: type, data: '' })) as T;
}
