/**
 * The calendar in the chat: `/today`, `/tomorrow`, `/week`, `/agenda <day>`,
 * `/free <when>`, `/next`, and the calendar questions of free text. Dates are read in the
 * user's zone by the assistant's parsers; a day that is not understood gets usage help.
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

export async function freeTime(turn: Turn, intent: FreeAtIntent | FreeSlotsIntent): Promise<Reply> {
  if (intent.kind === 'free_at') {
    if (intent.durationMinutes > LONGEST_SPAN) {
      return plain(
        'I can check up to 24 hours at a time. Try "am I free friday at 3 for 2 hours?", or /free friday for the free time that day.',
      );
    }
    const output = await turn.run(calendarFreebusy, {
      at: intent.at,
      durationMinutes: intent.durationMinutes,
    });
    return renderFreeAt(output, intent.label);
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
