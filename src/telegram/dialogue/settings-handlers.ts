/**
 * The user's own settings in the chat: `/briefing <HH:MM|off>`, `/timezone <zone>`, and
 * the "delete everything" step of `/privacy` (a button, then a confirming button).
 */
import { DateTime } from 'luxon';
import { parseBriefingTime, parseTimeZone } from '../../intent/index.ts';
import { bold, escapeHtml } from '../render/index.ts';
import { buildBriefing } from './briefing.ts';
import { plain } from '../render/index.ts';
import type { Reply } from '../render/index.ts';
import type { Turn } from './turn.ts';

/** `/briefing 07:30` or `/briefing off`; without an argument, today's briefing now. */
export async function briefingCommand(turn: Turn, arg: string): Promise<Reply> {
  const { frontDoor } = turn.services;
  if (!arg.trim()) {
    const briefing = await buildBriefing(turn);
    const time = turn.user.settings.briefingTime;
    const footer = time
      ? `Your daily briefing comes at ${escapeHtml(time)}. /briefing off stops it.`
      : 'Get this every morning with /briefing 07:30.';
    return { ...briefing, html: `${briefing.html}\n\n${footer}` };
  }
  const parsed = parseBriefingTime(arg);
  if (!parsed) {
    return plain(
      'I did not understand that time. Try /briefing 07:30, /briefing 7am or /briefing off.',
    );
  }
  const briefingTime = parsed.kind === 'off' ? null : parsed.time;
  turn.user = await frontDoor.users.update(turn.user.id, {
    settings: { ...turn.user.settings, briefingTime },
  });
  if (briefingTime === null) return plain('Daily briefing is off.');
  const zone = await turn.zone();
  return {
    html: `Daily briefing set for ${bold(briefingTime)} (${escapeHtml(zone)}). /briefing off stops it.`,
  };
}

/** `/timezone Europe/Paris`, `/timezone auto` (back to the Calendar's zone). */
export async function timezoneCommand(turn: Turn, arg: string): Promise<Reply> {
  const { frontDoor, now } = turn.services;
  const text = arg.trim();
  if (!text) {
    const zone = await turn.zone();
    const source = turn.user.timeZone ? 'your setting' : 'from Google Calendar';
    return plain(
      `Your time zone is ${zone} (${source}). Change it with /timezone Europe/Paris, or /timezone auto to follow Google Calendar.`,
    );
  }
  if (/^(?:auto|calendar|reset|default)$/i.test(text)) {
    turn.user = await frontDoor.users.update(turn.user.id, { timeZone: null });
    return plain('Your time zone now follows Google Calendar.');
  }
  const zone = parseTimeZone(text);
  if (!zone) {
    return plain(
      'I do not know that time zone. Try a city or a zone name such as Europe/Paris, America/New_York, Tokyo or UTC+2.',
    );
  }
  turn.user = await frontDoor.users.update(turn.user.id, { timeZone: zone });
  const local = DateTime.fromJSDate(now(), { zone })
    .setLocale(turn.locale)
    .toLocaleString(DateTime.TIME_SIMPLE)
    .replace(/[\u202f\u2009\u00a0]/g, ' ');
  return { html: `Time zone set to ${bold(zone)} (it is ${escapeHtml(local)} there now).` };
}

export function deleteAsk(): Reply {
  return {
    html: `${bold('Delete everything?')}\n\nThis revokes every connected Google account at Google and deletes all your data in Tidings. It cannot be undone.`,
    buttons: [
      [
        { text: 'Yes, delete everything', callback_data: 'py' },
        { text: 'Cancel', callback_data: 'x' },
      ],
    ],
  };
}

export async function deleteConfirmed(turn: Turn): Promise<Reply> {
  await turn.services.frontDoor.users.deleteEverything(turn.user.id);
  return plain(
    'Done: your Google accounts are revoked and your data in Tidings is deleted. Send /start if you ever want to begin again.',
  );
}
