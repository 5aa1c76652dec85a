/**
 * zod schemas of the Calendar v3 answers Tidings reads (lenient on extra fields).
 */
import { z } from 'zod';

export const CalendarListEntrySchema = z.object({
  id: z.string(),
  summary: z.string().optional(),
  summaryOverride: z.string().optional(),
  primary: z.boolean().optional(),
  selected: z.boolean().optional(),
  hidden: z.boolean().optional(),
  accessRole: z.string().optional(),
  timeZone: z.string().optional(),
  backgroundColor: z.string().optional(),
});
export type CalendarListEntry = z.infer<typeof CalendarListEntrySchema>;

export const CalendarListSchema = z.object({
  items: z.array(CalendarListEntrySchema).optional(),
  nextPageToken: z.string().optional(),
});

const EventTimeSchema = z.object({
  date: z.string().optional(),
  dateTime: z.string().optional(),
  timeZone: z.string().optional(),
});

const PersonSchema = z.object({
  email: z.string().optional(),
  displayName: z.string().optional(),
  self: z.boolean().optional(),
});

export const CalendarEventSchema = z.object({
  id: z.string(),
  status: z.string().optional(),
  htmlLink: z.string().optional(),
  summary: z.string().optional(),
  description: z.string().optional(),
  location: z.string().optional(),
  start: EventTimeSchema.optional(),
  end: EventTimeSchema.optional(),
  transparency: z.string().optional(),
  recurringEventId: z.string().optional(),
  originalStartTime: EventTimeSchema.optional(),
  recurrence: z.array(z.string()).optional(),
  iCalUID: z.string().optional(),
  hangoutLink: z.string().optional(),
  conferenceData: z
    .object({
      entryPoints: z
        .array(z.object({ entryPointType: z.string().optional(), uri: z.string().optional() }))
        .optional(),
    })
    .optional(),
  organizer: PersonSchema.optional(),
  creator: PersonSchema.optional(),
  attendees: z
    .array(
      PersonSchema.extend({
        organizer: z.boolean().optional(),
        responseStatus: z.string().optional(),
      }),
    )
    .optional(),
  eventType: z.string().optional(),
});
export type CalendarEvent = z.infer<typeof CalendarEventSchema>;

export const CalendarEventListSchema = z.object({
  items: z.array(CalendarEventSchema).optional(),
  nextPageToken: z.string().optional(),
  timeZone: z.string().optional(),
  summary: z.string().optional(),
});

export const CalendarSettingSchema = z.object({ id: z.string().optional(), value: z.string() });

export const FreeBusySchema = z.object({
  timeMin: z.string().optional(),
  timeMax: z.string().optional(),
  calendars: z
    .record(
      z.string(),
      z.object({
        busy: z.array(z.object({ start: z.string(), end: z.string() })).optional(),
        errors: z.array(z.object({ domain: z.string().optional(), reason: z.string() })).optional(),
      }),
    )
    .optional(),
});
export type FreeBusy = z.infer<typeof FreeBusySchema>;
