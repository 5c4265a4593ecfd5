import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IntParam } from '@onecard/kernel';

/**
 * One list shape and one paging convention for every operator list (`GET /admin/...`) of every
 * app, inside the app's own envelope. docs/ADMIN-API.md is the contract an operator console
 * reads.
 */

/** Items a page holds when `limit` is not given. */
export const ADMIN_PAGE_DEFAULT_LIMIT = 100;
/** The most a page may hold. */
export const ADMIN_PAGE_MAX_LIMIT = 1000;

/** A list paged by offset: `total` counts every item the filters match, on all pages. */
export interface AdminPage<T> {
  total: number;
  limit: number;
  offset: number;
  items: T[];
}

/**
 * A list paged by key, newest first (lists that grow at the head, where an offset would shift
 * under the reader): `next` is the `cursor` to pass for the page after this one, null on the last.
 */
export interface AdminKeysetPage<T> {
  items: T[];
  limit: number;
  next: string | null;
}

/** `?limit=&offset=` of an offset-paged list; a list's DTO extends it with its filters. */
export class AdminPageQuery {
  @ApiPropertyOptional({ description: `at most this many (default ${ADMIN_PAGE_DEFAULT_LIMIT})`, minimum: 1, maximum: ADMIN_PAGE_MAX_LIMIT })
  @IsOptional() @IntParam('limit', { min: 1, max: ADMIN_PAGE_MAX_LIMIT })
  limit?: number;

  @ApiPropertyOptional({ description: 'skip this many (default 0)', minimum: 0 })
  @IsOptional() @IntParam('offset', { min: 0 })
  offset?: number;
}

/** A cursor as keyset lists hand them out: a row id. */
const CURSOR = /^[1-9]\d{0,17}$/;

/** `?limit=&cursor=` of a keyset-paged list; a list's DTO extends it with its filters. */
export class AdminKeysetQuery {
  @ApiPropertyOptional({ description: `at most this many (default ${ADMIN_PAGE_DEFAULT_LIMIT})`, minimum: 1, maximum: ADMIN_PAGE_MAX_LIMIT })
  @IsOptional() @IntParam('limit', { min: 1, max: ADMIN_PAGE_MAX_LIMIT })
  limit?: number;

  @ApiPropertyOptional({ description: 'the `next` of the previous page; absent for the newest' })
  @IsOptional() @Matches(CURSOR, { message: 'cursor must be the next of an earlier page' })
  cursor?: string;
}

/** The page a query asks for, defaults applied. */
export interface PageWindow {
  limit: number;
  offset: number;
}

export function pageWindow(query: AdminPageQuery): PageWindow {
  return { limit: query.limit ?? ADMIN_PAGE_DEFAULT_LIMIT, offset: query.offset ?? 0 };
}

export function adminPage<T>(window: PageWindow, total: number, items: T[]): AdminPage<T> {
  return { total, limit: window.limit, offset: window.offset, items };
}

/** The keyset page a query asks for: read `fetch` rows (one more than the page) after `cursor`. */
export interface KeysetWindow {
  limit: number;
  /** Only rows with a key below this (newest first); null for the first page. */
  cursor: string | null;
  fetch: number;
}

export function keysetWindow(query: AdminKeysetQuery): KeysetWindow {
  const limit = query.limit ?? ADMIN_PAGE_DEFAULT_LIMIT;
  return { limit, cursor: query.cursor ?? null, fetch: limit + 1 };
}

/**
 * The page from `window.fetch` rows read newest first: the extra row, if there was one, only
 * says a next page exists, so `next` is null exactly when nothing is left.
 */
export function keysetPage<T>(window: KeysetWindow, rows: T[], keyOf: (item: T) => string): AdminKeysetPage<T> {
  const items = rows.length > window.limit ? rows.slice(0, window.limit) : rows;
  return { items, limit: window.limit, next: rows.length > window.limit ? keyOf(items[items.length - 1]) : null };
}
