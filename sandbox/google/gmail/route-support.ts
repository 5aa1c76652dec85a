/**
 * Shared pieces of the Gmail routes: Google's error answers for bad ids and parameters,
 * reading repeatable and boolean query parameters, message id checks and page tokens.
 */
import type { FastifyReply } from 'fastify';
import type { SandboxContext } from '../context.ts';

export type QueryParams = Record<string, string | string[] | undefined>;

/** The `{userId}` of every Gmail path: `me` or the user's email. */
export interface UserParams {
  userId: string;
}

export function sendNotFound(ctx: SandboxContext, reply: FastifyReply): FastifyReply {
  const message = 'Requested entity was not found.';
  return ctx.sendError(
    reply,
    404,
    message,
    { message, domain: 'global', reason: 'notFound' },
    'NOT_FOUND',
  );
}

export function sendInvalid(
  ctx: SandboxContext,
  reply: FastifyReply,
  message: string,
  reason = 'invalidArgument',
): FastifyReply {
  return ctx.sendError(
    reply,
    400,
    message,
    { message, domain: 'global', reason },
    'INVALID_ARGUMENT',
  );
}

/** Gmail ids are hexadecimal; anything else is a 400 before any lookup. */
export function isValidId(id: string): boolean {
  return /^[0-9a-f]{1,24}$/i.test(id);
}

/** The values of a repeatable parameter (`labelIds=A&labelIds=B` or `labelIds=A,B`). */
export function many(query: QueryParams, name: string): string[] {
  const value = query[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter(Boolean);
}

export function one(query: QueryParams, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

export function flag(query: QueryParams, name: string): boolean {
  return one(query, name)?.toLowerCase() === 'true';
}

/** `maxResults` clamped like Gmail (default and upper limit), or an error message. */
export function maxResults(query: QueryParams, fallback: number, limit: number): number | string {
  const raw = one(query, 'maxResults');
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) return `Invalid value for maxResults: ${raw.slice(0, 40)}`;
  const value = Number(raw);
  if (value < 1) return fallback;
  return Math.min(value, limit);
}

/** Page tokens are opaque to clients; here they carry the offset of the next page. */
export function encodePageToken(offset: number): string {
  return String(offset * 7 + 1_000_003);
}

export function decodePageToken(token: string | undefined): number | undefined {
  if (token === undefined || token === '') return 0;
  if (!/^\d+$/.test(token)) return undefined;
  const value = Number(token) - 1_000_003;
  return value >= 0 && value % 7 === 0 ? value / 7 : undefined;
}

/** One page of `items` plus the token of the next page when there is one. */
export function page<T>(
  items: readonly T[],
  offset: number,
  size: number,
): { items: T[]; nextPageToken?: string } {
  const slice = items.slice(offset, offset + size);
  const next = offset + size;
  return next < items.length
    ? { items: slice, nextPageToken: encodePageToken(next) }
    : { items: slice };
}
