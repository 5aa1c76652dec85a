/**
 * Loads one user's seed calendars: `dir/calendars.json` (their descriptions), then every
 * `dir/<calendarId>/*.ics` (`primary/` names the primary calendar), shifted by the seed's
 * whole-day offset. A missing directory means the user has no calendar seed.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SeedShift } from '../context.ts';
import { parseIcs } from './ics-parse.ts';
import { shiftEvent } from './seed-shift.ts';
import type { CalendarInput, CalendarStore } from './store.ts';

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

async function readCalendars(dir: string): Promise<CalendarInput[]> {
  let text: string;
  try {
    text = await readFile(join(dir, 'calendars.json'), 'utf8');
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error(`${join(dir, 'calendars.json')}: expected an array`);
  return parsed.map((entry, index) => {
    if (typeof entry?.id !== 'string') {
      throw new Error(`${join(dir, 'calendars.json')}: entry ${index} has no id`);
    }
    return entry as CalendarInput;
  });
}

export async function loadCalendarSeed(
  store: CalendarStore,
  email: string,
  dir: string,
  shift: SeedShift,
): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  for (const input of await readCalendars(dir)) store.putCalendar(email, input);
  const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  for (const folder of folders.sort()) {
    const calendarId = folder === 'primary' ? email : folder;
    const files = (await readdir(join(dir, folder))).filter((name) => name.endsWith('.ics'));
    for (const file of files.sort()) {
      const path = join(dir, folder, file);
      const zone = store.calendar(email, calendarId)?.meta.timeZone ?? 'UTC';
      let events: ReturnType<typeof parseIcs>;
      try {
        events = parseIcs(await readFile(path, 'utf8'));
      } catch (error) {
        throw new Error(`${path}: ${(error as Error).message}`);
      }
      store.addEvents(
        email,
        calendarId,
        events.map((event) => shiftEvent(event, shift.days, zone)),
      );
    }
  }
}
