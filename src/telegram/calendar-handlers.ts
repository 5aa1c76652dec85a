/**
 * The calendar in the chat: `/today`, `/tomorrow`, `/week`, `/agenda <day>`,
 * `/free <when>`, `/next`, and the calendar questions of free text. Dates are read in the
 * user's zone by the assistant's parsers; a day that is not understood gets usage help.
 */
import { calendarAgenda, calendarFreebusy, calendarNext } from '../capabilities/index.ts';
import { parseDayArg, parseWhenArg } from '../assistant/index.ts';
import type { DateRange, FreeAtIntent, FreeSlotsIntent, RouteContext } from '../assistant/index.ts';
import { renderAgenda, renderFreeAt, renderFreeSlots, renderNext } from './render-calendar.ts';
import { plain } from './reply.ts';
import type { Reply } from './reply.ts';
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

export async function freeTime(turn: Turn, intent: FreeAtIntent | FreeSlotsIntent): Promise<Reply> {
  if (intent.kind === 'free_at') {
    const output = await turn.run(calendarFreebusy, { at: intent.at });
    return renderFreeAt(output, intent.label);
  }
  const output = await turn.run(calendarFreebusy, {
    from: intent.from,
    to: intent.to,
    minMinutes: intent.minMinutes,
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
