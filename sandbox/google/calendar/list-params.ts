/**
 * Reads and checks `events.list` / `events.get` query parameters the way Calendar API v3
 * does: RFC 3339 bounds with an offset, a non-empty range, `orderBy=startTime` only with
 * `singleEvents`, IANA `timeZone`, `maxResults` capped at 2500, opaque page tokens.
 */
import type { GoogleErrorDetail } from '../context.ts';
import { isValidZone, parseRfc3339 } from './zoned-time.ts';

export interface ApiError {
  code: number;
  message: string;
  detail: GoogleErrorDetail;
}

export interface ListParams {
  timeMin: number | null;
  timeMax: number | null;
  singleEvents: boolean;
  orderBy: 'startTime' | 'updated' | null;
  q: string | null;
  timeZone: string | null;
  maxResults: number;
  offset: number;
  showDeleted: boolean;
  updatedMin: number | null;
  iCalUID: string | null;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const DEFAULT_MAX_RESULTS = 250;
export const MAX_RESULTS = 2500;

export function badRequest(): ApiError {
  return {
    code: 400,
    message: 'Bad Request',
    detail: { domain: 'global', reason: 'badRequest', message: 'Bad Request' },
  };
}

export function invalid(name: string, message: string, reason = 'invalid'): ApiError {
  return {
    code: 400,
    message,
    detail: { domain: 'global', reason, message, locationType: 'parameter', location: name },
  };
}

/** The first value of a query parameter (repeated parameters arrive as arrays). */
export function queryValue(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | null)?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

function bool(query: unknown, name: string): Parsed<boolean> {
  const raw = queryValue(query, name);
  if (raw === undefined || raw === 'false') return { ok: true, value: false };
  if (raw === 'true') return { ok: true, value: true };
  return {
    ok: false,
    error: invalid(name, `Invalid boolean value: '${raw}'.`, 'invalidParameter'),
  };
}

function time(query: unknown, name: string): Parsed<number | null> {
  const raw = queryValue(query, name);
  if (raw === undefined) return { ok: true, value: null };
  const ms = parseRfc3339(raw);
  return ms === null ? { ok: false, error: badRequest() } : { ok: true, value: ms };
}

/** Reads the response time zone; an unknown zone is a 400. */
export function zoneParam(query: unknown): Parsed<string | null> {
  const raw = queryValue(query, 'timeZone');
  if (raw === undefined || raw === '') return { ok: true, value: null };
  if (!isValidZone(raw))
    return { ok: false, error: invalid('timeZone', 'Invalid time zone definition.') };
  return { ok: true, value: raw };
}

export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodePageToken(token: string): number | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    const offset = (parsed as { o?: unknown } | null)?.o;
    return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? offset : null;
  } catch {
    return null;
  }
}

export function parseListParams(query: unknown): Parsed<ListParams> {
  const timeMin = time(query, 'timeMin');
  if (!timeMin.ok) return timeMin;
  const timeMax = time(query, 'timeMax');
  if (!timeMax.ok) return timeMax;
  const updatedMin = time(query, 'updatedMin');
  if (!updatedMin.ok) return updatedMin;
  if (timeMin.value !== null && timeMax.value !== null && timeMax.value <= timeMin.value) {
    const message = 'The specified time range is empty.';
    return {
      ok: false,
      error: {
        code: 400,
        message,
        detail: {
          domain: 'calendar',
          reason: 'timeRangeEmpty',
          message,
          locationType: 'parameter',
          location: 'timeMax',
        },
      },
    };
  }
  const singleEvents = bool(query, 'singleEvents');
  if (!singleEvents.ok) return singleEvents;
  const showDeleted = bool(query, 'showDeleted');
  if (!showDeleted.ok) return showDeleted;
  const orderBy = queryValue(query, 'orderBy') ?? null;
  if (orderBy !== null && orderBy !== 'startTime' && orderBy !== 'updated') {
    const message = `Invalid value '${orderBy}'. Values must match the following regular expression: '(startTime|updated)'`;
    return { ok: false, error: invalid('orderBy', message, 'invalidParameter') };
  }
  if (orderBy === 'startTime' && !singleEvents.value) {
    const message = 'The requested ordering is not available for the particular query.';
    return { ok: false, error: invalid('orderBy', message) };
  }
  const zone = zoneParam(query);
  if (!zone.ok) return zone;
  const rawMax = queryValue(query, 'maxResults');
  const maxResults = rawMax === undefined ? DEFAULT_MAX_RESULTS : Number(rawMax);
  if (!Number.isInteger(maxResults) || maxResults < 1) {
    const message = `Invalid value '${rawMax}'. Values must be within the range: [1, ${MAX_RESULTS}]`;
    return { ok: false, error: invalid('maxResults', message, 'invalidParameter') };
  }
  const token = queryValue(query, 'pageToken');
  const offset = token ? decodePageToken(token) : 0;
  if (offset === null)
    return { ok: false, error: invalid('pageToken', 'Invalid page token value.') };
  return {
    ok: true,
    value: {
      timeMin: timeMin.value,
      timeMax: timeMax.value,
      singleEvents: singleEvents.value,
      orderBy,
      q: queryValue(query, 'q')?.trim() || null,
      timeZone: zone.value,
      maxResults: Math.min(maxResults, MAX_RESULTS),
      offset,
      showDeleted: showDeleted.value,
      updatedMin: updatedMin.value,
      iCalUID: queryValue(query, 'iCalUID') ?? null,
    },
  };
}
