/**
 * The intents the deterministic router recognises, and the context it resolves them in.
 * Every date-time is an ISO 8601 string with the user's own offset; ranges are
 * half-open (`to` is exclusive), so "today" runs from 00:00 to the next day's 00:00.
 */

export interface RouteContext {
  /** The current instant; the router never reads the clock itself. */
  now: Date;
  /** The user's IANA time zone; an invalid zone falls back to UTC. */
  timeZone: string;
  /** BCP 47 locale: decides day/month order of "5/3" and the wording of labels. */
  locale?: string;
  /** 1 = weeks start on Monday (default), 7 = on Sunday. */
  weekStartsOn?: 1 | 7;
}

export interface DateRange {
  from: string;
  to: string;
  label: string;
}

export interface AgendaIntent extends DateRange {
  kind: 'agenda';
}

export interface FreeAtIntent {
  kind: 'free_at';
  at: string;
  durationMinutes: number;
  label: string;
}

export interface FreeSlotsIntent extends DateRange {
  kind: 'free_slots';
  minMinutes: number;
}

export interface MailSearchIntent {
  kind: 'mail_search';
  /** A Gmail query built only from sanitized tokens and the router's own operators. */
  query: string;
  label: string;
}

export interface ActionsIntent {
  kind: 'actions';
  days: number;
  label: string;
}

/** A new-mail alert to set up: a Gmail query built from sanitized tokens. */
export interface WatchCreateIntent {
  kind: 'watch_create';
  query: string;
}

/** A new-mail alert to stop: the words that name it ("alice"). */
export interface WatchRemoveIntent {
  kind: 'watch_remove';
  target: string;
}

export type Intent =
  | AgendaIntent
  | FreeAtIntent
  | FreeSlotsIntent
  | { kind: 'next' }
  | MailSearchIntent
  | { kind: 'unread' }
  | ActionsIntent
  | { kind: 'briefing' }
  | WatchCreateIntent
  | { kind: 'watch_list' }
  | WatchRemoveIntent
  | { kind: 'help' }
  | { kind: 'greeting' }
  | { kind: 'unknown'; suggestions: string[] };

export type IntentKind = Intent['kind'];
