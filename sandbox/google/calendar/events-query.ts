/**
 * `events.list` and `events.get` over one stored calendar: window filtering, recurrence
 * expansion (`singleEvents`) or masters plus their exceptions, deleted items only on
 * request, free-text `q`, ordering and offset paging.
 */
import { type EventRecord, type EventSeries, isRecurring } from './event-model.ts';
import { type RenderContext, renderMaster, renderOccurrence } from './event-resource.ts';
import { encodePageToken, type ListParams } from './list-params.ts';
import { type ExpandZones, expandSeries, type Occurrence, type TimeWindow } from './recurrence.ts';
import type { StoredCalendar } from './store.ts';
import { parseBasic, toInstant } from './zoned-time.ts';

type Json = { [key: string]: unknown };

/** How far past the window's start an unbounded recurrence is expanded. */
const HORIZON_MS = 2 * 366 * 86_400_000;

interface Row {
  startMs: number;
  updated: number;
  id: string;
  cancelled: boolean;
  /** The event whose text `q` searches (a cancelled instance's master). */
  text: EventRecord;
  item: Json;
}

export interface EventPage {
  items: Json[];
  nextPageToken: string | null;
}

function haystack(event: EventRecord): string {
  const people = [event.organizer, ...event.attendees].flatMap((p) =>
    p ? [p.email, p.displayName ?? ''] : [],
  );
  return [event.summary, event.description, event.location, ...people]
    .filter((part): part is string => typeof part === 'string')
    .join('\n')
    .toLowerCase();
}

/** Every word of `q` must appear somewhere in the event's text. */
function matches(event: EventRecord, q: string): boolean {
  const text = haystack(event);
  return q
    .toLowerCase()
    .split(/\s+/)
    .every((word) => text.includes(word));
}

function updatedOf(event: EventRecord, series: EventSeries): number {
  return event.updated ?? event.created ?? series.storedAt;
}

function occurrenceRow(occ: Occurrence, ctx: RenderContext): Row {
  const master = occ.series.master;
  return {
    startMs: occ.startMs,
    updated: updatedOf(occ.source, occ.series),
    id: occ.id,
    cancelled: occ.cancelled,
    text: occ.cancelled && master ? master : occ.source,
    item: renderOccurrence(occ, ctx),
  };
}

/** Rows of one series: its instances, or (without `singleEvents`) master + exceptions. */
function seriesRows(
  series: EventSeries,
  params: ListParams,
  window: TimeWindow,
  zones: ExpandZones,
  ctx: RenderContext,
): Row[] {
  const occurrences = expandSeries(series, window, zones);
  const master = series.master;
  if (params.singleEvents || !master || !isRecurring(master)) {
    return occurrences.map((occ) => occurrenceRow(occ, ctx));
  }
  const rows = occurrences
    .filter((occ) => occ.source !== master)
    .map((occ) => occurrenceRow(occ, ctx));
  if (occurrences.length > 0) {
    rows.push({
      startMs: toInstant(master.start, master.start.kind === 'date' ? zones.dates : zones.floating),
      updated: updatedOf(master, series),
      id: series.id,
      cancelled: master.status === 'cancelled',
      text: master,
      item: renderMaster(series, master, ctx),
    });
  }
  return rows;
}

/**
 * Whether a row is listed: deleted items only with `showDeleted` (or `updatedMin`, which
 * always reports deletions), every word of `q`, and changes since `updatedMin`.
 */
function wanted(row: Row, params: ListParams): boolean {
  if (row.cancelled && !params.showDeleted && params.updatedMin === null) return false;
  if (params.q !== null && !matches(row.text, params.q)) return false;
  return params.updatedMin === null || row.updated >= params.updatedMin;
}

export function listEvents(
  calendar: StoredCalendar,
  params: ListParams,
  ctx: RenderContext,
  now: number,
): EventPage {
  const zones: ExpandZones = {
    floating: ctx.calendarZone,
    dates: params.timeZone ?? ctx.calendarZone,
  };
  const window: TimeWindow = {
    from: params.timeMin,
    to: params.timeMax ?? Number.POSITIVE_INFINITY,
    horizon: (params.timeMin ?? now) + HORIZON_MS,
  };
  const rows = [...calendar.series.values()]
    .filter((series) => params.iCalUID === null || series.uid === params.iCalUID)
    .flatMap((series) => seriesRows(series, params, window, zones, ctx))
    .filter((row) => wanted(row, params));
  rows.sort((a, b) =>
    params.orderBy === 'updated'
      ? a.updated - b.updated || a.id.localeCompare(b.id)
      : a.startMs - b.startMs || a.id.localeCompare(b.id),
  );
  const page = rows.slice(params.offset, params.offset + params.maxResults);
  const more = params.offset + params.maxResults < rows.length;
  return {
    items: page.map((row) => row.item),
    nextPageToken: more ? encodePageToken(params.offset + params.maxResults) : null,
  };
}

/** The latest change in a calendar (the `updated` of an events list). */
export function lastUpdated(calendar: StoredCalendar, fallback: number): number {
  let latest = 0;
  for (const series of calendar.series.values()) {
    for (const event of [series.master, ...series.overrides]) {
      if (event) latest = Math.max(latest, updatedOf(event, series));
    }
  }
  return latest || fallback;
}

/** One event by id: a single event, a recurring master, or `<masterId>_<start>`. */
export function getEvent(
  calendar: StoredCalendar,
  eventId: string,
  ctx: RenderContext,
): Json | null {
  const zones: ExpandZones = { floating: ctx.calendarZone, dates: ctx.calendarZone };
  const all = [...calendar.series.values()];
  const direct = all.find((series) => series.id === eventId);
  if (direct?.master) {
    if (isRecurring(direct.master)) return renderMaster(direct, direct.master, ctx);
    const [single] = expandSeries(
      direct,
      { from: null, to: Number.POSITIVE_INFINITY, horizon: 0 },
      zones,
    );
    return single ? renderOccurrence(single, ctx) : null;
  }
  const match = /^(.+)_(\d{8}(?:T\d{6}Z)?)$/.exec(eventId);
  const series = match ? all.find((s) => s.id === match[1]) : undefined;
  const original = match?.[2] ? parseBasic(match[2]) : null;
  if (!series || !original) return null;
  const horizon = toInstant(original, ctx.calendarZone) + 2 * 86_400_000;
  const window = { from: null, to: Number.POSITIVE_INFINITY, horizon };
  const found = expandSeries(series, window, zones).find((occ) => occ.id === eventId);
  return found ? renderOccurrence(found, ctx) : null;
}
