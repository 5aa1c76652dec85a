/**
 * The calendar in the chat: `/today`, `/tomorrow`, `/week`, `/agenda <day>`,
 * `/free <when>`, `/next`, and the calendar questions of free text. Dates are read in the
 * user's zone by the assistant's parsers; a day that is not understood gets usage help.
 * A free/busy question about a time already gone is answered as such, with what is
 * still free today, never checked as if it were to come.
 */
import { DateTime } from 'luxon';
import { calendarAgenda, calendarFreebusy, calendarNext } from '../../capabilities/index.ts';
import { parseDayArg, parseWhenArg } from '../../intent/index.ts';
import type { DateRange, FreeAtIntent, FreeSlotsIntent, RouteContext } from '../../intent/index.ts';
import { renderAgenda, renderFreeAt, renderFreeSlots, renderNext } from '../render/index.ts';
import { plain } from '../render/index.ts';
import type { Reply } from '../render/index.ts';
import type { Turn } from './turn.ts';

export async function routeContext(turn: Turn): Promise<RouteContext> {
  return { now: turn.services.now(), timeZone: await turn.zone(), locale: turn.locale };
}

export async function agenda(turn: Turn, range: DateRange): Promise<Reply> {
  const output = await turn.run(calendarAgenda, { from: range.from, to: range.to });
  return renderAgenda(output, range.label, await turn.view());
}

/** `/today`, `/tomorrow`, `/week` and `/agenda <day>`. */
export async function agendaCommand(turn: Turn, arg: string): Promise<Reply> {
  const range = parseDayArg(arg, await routeContext(turn));
  if (!range) {
    return plain(
      'I did not understand that day. Try /agenda friday, /agenda tomorrow, /agenda 2026-03-06 or /agenda next week.',
    );
  }
  return agenda(turn, range);
}

/** The shortest and longest spans `calendar.freebusy` looks for or checks, in minutes. */
const SHORTEST_SLOT = 5;
const LONGEST_SPAN = 24 * 60;

/** True when every day of the range is a Saturday or a Sunday ("saturday", "the weekend"). */
function onlyWeekend(range: { from: string; to: string }): boolean {
  const end = DateTime.fromISO(range.to, { setZone: true });
  let day = DateTime.fromISO(range.from, { setZone: true }).startOf('day');
  if (!(day < end)) return false;
  for (; day < end; day = day.plus({ days: 1 })) if (day.weekday < 6) return false;
  return true;
}

/** The answer to a duration `calendar.freebusy` cannot look for or check, if it is one. */
function unsupported(intent: FreeAtIntent | FreeSlotsIntent): Reply | null {
  if (intent.kind === 'free_at') {
    return intent.durationMinutes > LONGEST_SPAN
      ? plain(
          'I can check up to 24 hours at a time. Try "am I free friday at 3 for 2 hours?", or /free friday for the free time that day.',
        )
      : null;
  }
  if (intent.minMinutes < SHORTEST_SLOT) {
    return plain(
      `I look for free time of ${SHORTEST_SLOT} minutes or more. Try "when am I free tomorrow for 15 minutes?"`,
    );
  }
  if (intent.minMinutes > LONGEST_SPAN) {
    return plain(
      'A free slot is at most a day long, inside working hours. Try "when am I free this week for 2 hours?"',
    );
  }
  return null;
}

/** True when the moment asked about began before this minute, or the span has ended. */
function isOver(intent: FreeAtIntent | FreeSlotsIntent, now: Date): boolean {
  if (intent.kind === 'free_slots') return Date.parse(intent.to) <= now.getTime();
  return Date.parse(intent.at) < Math.floor(now.getTime() / 60_000) * 60_000;
}

/**
 * A question about a time already gone is never checked as if it were to come: the reply
 * says it has passed and offers the free time left today instead.
 */
async function passedTime(turn: Turn, intent: FreeAtIntent | FreeSlotsIntent): Promise<Reply> {
  const view = await turn.view();
  const now = DateTime.fromJSDate(view.now, { zone: view.zone }).startOf('minute');
  const minMinutes =
    intent.kind === 'free_at' ? Math.max(SHORTEST_SLOT, intent.durationMinutes) : intent.minMinutes;
  const rest = {
    from: now.toISO({ suppressMilliseconds: true }) ?? '',
    to: now.startOf('day').plus({ days: 1 }).toISO({ suppressMilliseconds: true }) ?? '',
  };
  const output = await turn.run(calendarFreebusy, {
    ...rest,
    minMinutes,
    ...(onlyWeekend(rest) ? { includeWeekends: true } : {}),
  });
  const passed = { label: intent.label, moment: intent.kind === 'free_at' };
  return renderFreeSlots(output, 'later today', minMinutes, view, passed);
}

export async function freeTime(turn: Turn, intent: FreeAtIntent | FreeSlotsIntent): Promise<Reply> {
  const refusal = unsupported(intent);
  if (refusal) return refusal;
  if (isOver(intent, turn.services.now())) return passedTime(turn, intent);
  if (intent.kind === 'free_at') {
    const output = await turn.run(calendarFreebusy, {
      at: intent.at,
      durationMinutes: intent.durationMinutes,
    });
    return renderFreeAt(output, intent.label);
  }
  const output = await turn.run(calendarFreebusy, {
    from: intent.from,
    to: intent.to,
    minMinutes: intent.minMinutes,
    ...(onlyWeekend(intent) ? { includeWeekends: true } : {}),
  });
  return renderFreeSlots(output, intent.label, intent.minMinutes, await turn.view());
}

/** `/free <when>`: "friday at 3" asks about a moment, "tomorrow" lists free slots. */
export async function freeCommand(turn: Turn, arg: string): Promise<Reply> {
  const intent = parseWhenArg(arg, await routeContext(turn));
  if (!intent) {
    return plain(
      'I did not understand when. Try /free friday at 3, /free tomorrow or /free this week.',
    );
  }
  return freeTime(turn, intent);
}

export async function nextCommand(turn: Turn): Promise<Reply> {
  const output = await turn.run(calendarNext, {});
  return renderNext(output, await turn.view());
}
