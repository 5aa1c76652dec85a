/**
 * Calendar API v3 resources about calendars rather than events: `CalendarListEntry`,
 * `Calendar` and the user's `Setting`s, built from the stored calendar descriptions.
 */
import { createHash } from 'node:crypto';
import type { AccessRole, CalendarMeta } from './store.ts';

type Json = { [key: string]: unknown };

export function quotedEtag(...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\n')).digest();
  return `"${digest.readBigUInt64BE(0) % 10_000_000_000_000_000n}"`;
}

const ROLE_RANK: Record<AccessRole, number> = { freeBusyReader: 0, reader: 1, writer: 2, owner: 3 };

export function hasRole(role: AccessRole, minimum: string | undefined): boolean {
  if (minimum === undefined || !(minimum in ROLE_RANK)) return true;
  return ROLE_RANK[role] >= ROLE_RANK[minimum as AccessRole];
}

export function defaultReminders(meta: CalendarMeta): Json[] {
  return meta.primary ? [{ method: 'popup', minutes: 10 }] : [];
}

export function calendarListEntry(meta: CalendarMeta, zone: string): Json {
  const entry: Json = {
    kind: 'calendar#calendarListEntry',
    etag: quotedEtag('calendarListEntry', meta.id, meta.summary, zone),
    id: meta.id,
    summary: meta.summary,
  };
  if (meta.description !== null) entry.description = meta.description;
  Object.assign(entry, {
    timeZone: zone,
    colorId: meta.colorId,
    backgroundColor: meta.backgroundColor,
    foregroundColor: meta.foregroundColor,
  });
  if (meta.selected) entry.selected = true;
  entry.accessRole = meta.accessRole;
  entry.defaultReminders = defaultReminders(meta);
  if (meta.primary) {
    entry.notificationSettings = {
      notifications: [
        { type: 'eventCreation', method: 'email' },
        { type: 'eventChange', method: 'email' },
        { type: 'eventCancellation', method: 'email' },
        { type: 'eventResponse', method: 'email' },
      ],
    };
    entry.primary = true;
  }
  entry.conferenceProperties = { allowedConferenceSolutionTypes: ['hangoutsMeet'] };
  return entry;
}

export function calendarResource(meta: CalendarMeta, zone: string): Json {
  const resource: Json = {
    kind: 'calendar#calendar',
    etag: quotedEtag('calendar', meta.id, meta.summary, zone),
    id: meta.id,
    summary: meta.summary,
  };
  if (meta.description !== null) resource.description = meta.description;
  resource.timeZone = zone;
  resource.conferenceProperties = { allowedConferenceSolutionTypes: ['hangoutsMeet'] };
  return resource;
}

/** The user's settings as `settings.list` returns them (ids in Google's order). */
export function userSettings(timeZone: string): Json[] {
  const values: [string, string][] = [
    ['autoAddHangouts', 'false'],
    ['dateFieldOrder', 'MDY'],
    ['defaultEventLength', '60'],
    ['format24HourTime', 'false'],
    ['hideInvitations', 'false'],
    ['hideWeekends', 'false'],
    ['locale', 'en'],
    ['remindOnRespondedEventsOnly', 'false'],
    ['showDeclinedEvents', 'true'],
    ['timezone', timeZone],
    ['useKeyboardShortcuts', 'true'],
    ['weekStart', '0'],
  ];
  return values.map(([id, value]) => ({
    kind: 'calendar#setting',
    etag: quotedEtag('setting', id, value),
    id,
    value,
  }));
}
