/**
 * RISC event streams, one per OAuth client (Google keeps one per project): where to push
 * (`delivery.url`), which event types were asked for, whether the stream is enabled, and
 * every push made, with its outcome. Checks a stream configuration the way Google's RISC
 * API does, except that plain `http` is allowed to loopback receivers (tests, demo).
 */
import { PUSH_DELIVERY_METHOD, RISC_EVENT_URIS } from './security-events.ts';
import type { ServiceAccount } from './service-accounts.ts';

export interface RiscStream {
  clientId: string;
  url: string;
  eventsRequested: string[];
  status: 'enabled' | 'disabled';
  /** What `subjects:add` was given (Google pushes for every user of the app regardless). */
  subjects: Record<string, unknown>[];
}

export interface RiscDelivery {
  jti: string;
  client_id: string;
  url: string;
  /** The event type URI the token carried. */
  event: string;
  /** The receiver's HTTP status, or null when it could not be reached. */
  status: number | null;
  error: string | null;
  /** When it was pushed (sandbox clock, ISO 8601). */
  at: string;
}

export interface RiscState {
  streams: Map<string, RiscStream>;
  /** Every push, oldest first, with the signed token kept for a redelivery. */
  deliveries: { record: RiscDelivery; token: string }[];
  /** Service accounts allowed to call the RISC API, by email. */
  serviceAccounts: Map<string, ServiceAccount>;
}

export function createRiscState(): RiscState {
  return { streams: new Map(), deliveries: [], serviceAccounts: new Map() };
}

export function clearRiscState(state: RiscState): void {
  state.streams.clear();
  state.deliveries = [];
  state.serviceAccounts.clear();
}

/** Both spellings: the docs use https, Google's discovery document publishes http. */
const PUSH_METHODS = new Set([
  PUSH_DELIVERY_METHOD,
  PUSH_DELIVERY_METHOD.replace('https://', 'http://'),
]);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export type ConfigCheck =
  | { ok: true; url: string; eventsRequested: string[] }
  | { ok: false; code: 400 | 403; message: string };

function missing(field: string): ConfigCheck {
  return { ok: false, code: 400, message: `Stream configuration must contain ${field} field.` };
}

/** Checks the body of `stream:update`: `{delivery: {delivery_method, url}, events_requested}`. */
export function checkStreamConfig(body: unknown): ConfigCheck {
  const config = (body ?? {}) as Record<string, unknown>;
  const delivery = config.delivery as Record<string, unknown> | undefined;
  if (delivery === null || typeof delivery !== 'object') return missing('delivery');
  if (typeof delivery.delivery_method !== 'string') return missing('delivery_method');
  if (!PUSH_METHODS.has(delivery.delivery_method)) {
    return { ok: false, code: 400, message: 'Only push delivery is supported.' };
  }
  if (typeof delivery.url !== 'string') return missing('url');
  const events = config.events_requested;
  if (!Array.isArray(events) || events.some((event) => typeof event !== 'string')) {
    return missing('events_requested');
  }
  const url = receiverUrl(delivery.url);
  if (url === null)
    return { ok: false, code: 403, message: 'The delivery endpoint must be an HTTPS URL.' };
  return { ok: true, url, eventsRequested: [...new Set(events as string[])] };
}

/** An HTTPS URL, or plain HTTP to a loopback host; null otherwise. */
export function receiverUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.username !== '' || url.password !== '') return null;
  if (url.protocol === 'https:') return url.toString();
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) ? url.toString() : null;
}

/** The stream as `GET /v1beta/stream` shows it. */
export function streamResource(stream: RiscStream): Record<string, unknown> {
  return {
    delivery: { delivery_method: PUSH_DELIVERY_METHOD, url: stream.url },
    events_requested: stream.eventsRequested,
    events_delivered: stream.eventsRequested.filter((event) => RISC_EVENT_URIS.includes(event)),
  };
}
