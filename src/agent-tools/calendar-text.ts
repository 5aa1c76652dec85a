/**
 * Calendar results as text: `calendar.agenda`, `calendar.freebusy` and `calendar.next`.
 * Events are one line each; busy and free intervals are our own framing, grouped by day,
 * while event titles stay inside the block.
 */
import type { AgendaEvent } from '../capabilities/index.ts';
import {
  type Ctx,
  dayBefore,
  dayKey,
  daysText,
  dayText,
  periodText,
  spanText,
  wall,
  whenText,
  zoneNote,
} from './text-dates.ts';
import { line, type Rendered } from './text-safety.ts';
import { count, list, num, type Rec, rec, str } from './text-values.ts';

type EventItem = Pick<AgendaEvent, 'title' | 'calendarName' | 'start' | 'end' | 'allDay'> & {
  endDate: string | null;
  location: string | null;
  video: boolean;
  response: string | null;
};

function readEvent(value: unknown): EventItem | null {
  const r = rec(value);
  const start = str(r?.start);
  if (!r || start === null) return null;
  return {
    title: str(r.title) ?? '',
    calendarName: str(r.calendarName) ?? '',
    start,
    end: str(r.end) ?? '',
    allDay: r.allDay === true,
    endDate: str(r.endDate),
    location: str(r.location),
    video: typeof r.videoLink === 'string' && r.videoLink !== '',
    response: str(r.myResponse),
  };
}

const RESPONSE_TEXT: Readonly<Record<string, string>> = {
  declined: 'you declined',
  tentative: 'you said maybe',
  needsAction: 'you have not responded',
};

function eventLine(e: EventItem, ctx: Ctx): string {
  const start = wall(e.start);
  let when = line(e.start, 40);
  if (start && e.allDay) {
    const end = wall(e.end);
    const last = wall(e.endDate) ?? (end ? dayBefore(end) : null);
    when = `${daysText(start, last, ctx)} (all day)`;
  } else if (start) {
    when = spanText(start, wall(e.end), ctx);
  }
  const parts = [when, line(e.title) || '(no title)'];
  if (e.location) parts.push(`location: ${line(e.location)}`);
  if (e.calendarName) parts.push(`calendar: ${line(e.calendarName, 120)}`);
  const response = e.response === null ? undefined : RESPONSE_TEXT[e.response];
  if (response) parts.push(response);
  if (e.video) parts.push('has video link');
  return parts.join(' · ');
}

export function renderAgenda(output: Rec, ctx: Ctx): Rendered | null {
  const events = list(output.events, readEvent);
  if (!events) return null;
  const period = periodText(output.from, output.to, ctx);
  const label = `Agenda${period ? ` for ${period}` : ''}${zoneNote(output)}`;
  if (events.length === 0) return { head: [`${label}: no events.`], data: [] };
  return {
    head: [`${label}: ${count(events.length, 'event')}.`],
    data: events.map((e) => eventLine(e, ctx)),
  };
}

/** Busy or free intervals grouped by day: `- Tue 10 Mar: 09:00–10:00, 10:15–18:00`. */
function slotLines(value: unknown, ctx: Ctx): string[] | null {
  const slots = list(value, (v) => {
    const r = rec(v);
    const start = wall(r?.start);
    return start ? { start, end: wall(r?.end) } : null;
  });
  if (!slots) return null;
  const lines: string[] = [];
  let day: number | null = null;
  for (const { start, end } of slots) {
    const sameDay = end !== null && end.time !== null && dayKey(end) === dayKey(start);
    if (sameDay && start.time !== null && day === dayKey(start)) {
      lines[lines.length - 1] += `, ${start.time}–${end.time}`;
    } else if (sameDay && start.time !== null) {
      lines.push(`- ${dayText(start, ctx)}: ${start.time}–${end.time}`);
      day = dayKey(start);
    } else {
      lines.push(`- ${spanText(start, end, ctx)}`);
      day = null;
    }
  }
  return lines;
}

export function renderFreebusy(output: Rec, ctx: Ctx): Rendered | null {
  const busy = slotLines(output.busy, ctx);
  const free = slotLines(output.freeSlots, ctx);
  if (!busy || !free) return null;
  const period = periodText(output.from, output.to, ctx);
  const head = [`Free/busy${period ? ` for ${period}` : ''}${zoneNote(output)}.`];
  const freeAt = rec(output.freeAt);
  const at = wall(freeAt?.at);
  const conflicts = Array.isArray(freeAt?.conflicts) ? freeAt.conflicts.map(str) : [];
  const titles = conflicts.filter((t) => t !== null).map((t) => line(t) || '(no title)');
  if (freeAt && at) {
    const verdict = freeAt.free === true ? 'free' : 'busy';
    const why = titles.length > 0 ? '; the events in the way are listed in the block below' : '';
    head.push(`At ${whenText(at, ctx)}: ${verdict}${why}.`);
  }
  head.push(busy.length > 0 ? 'Busy:' : 'Busy: never.', ...busy);
  head.push(free.length > 0 ? 'Free slots:' : 'Free slots: none.', ...free);
  return { head, data: titles };
}

export function renderNext(output: Rec, ctx: Ctx): Rendered | null {
  if (output.event === null) {
    return { head: [`No upcoming event in the next 7 days${zoneNote(output)}.`], data: [] };
  }
  const event = readEvent(output.event);
  if (!event) return null;
  const said = str(rec(output.event)?.startsIn);
  const minutes = num(rec(output.event)?.startsInMinutes);
  const startsIn =
    said && /^[\w ]{1,40}$/.test(said) ? said : minutes !== null ? `in ${minutes} min` : null;
  const when = startsIn ? `, starts ${startsIn}` : '';
  return { head: [`Next event${when}${zoneNote(output)}:`], data: [eventLine(event, ctx)] };
}
