/**
 * The Calendar API v3 read routes on Google's paths. Each authorizes with a calendar read
 * scope, counts as one request against the per-user limit, and answers with Google's
 * resources or error envelopes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CALENDAR_READ_SCOPES, type SandboxContext, type SandboxUser } from '../context.ts';
import {
  calendarListEntry,
  calendarResource,
  defaultReminders,
  hasRole,
  quotedEtag,
  userSettings,
} from './calendar-resources.ts';
import type { RenderContext } from './event-resource.ts';
import { getEvent, lastUpdated, listEvents } from './events-query.ts';
import { freeBusyResponse, parseFreeBusyBody } from './free-busy.ts';
import { type ApiError, parseListParams, queryValue, zoneParam } from './list-params.ts';
import type { CalendarStore, StoredCalendar } from './store.ts';
import { formatUtcMillis } from './zoned-time.ts';

type Params = { calendarId?: string; eventId?: string; setting?: string };

const ROOT = '/calendar/v3';

export function registerCalendarRoutes(
  app: FastifyInstance,
  ctx: SandboxContext,
  store: CalendarStore,
): void {
  const notFound = (reply: FastifyReply) =>
    ctx.sendError(reply, 404, 'Not Found', {
      domain: 'global',
      reason: 'notFound',
      message: 'Not Found',
    });
  const fail = (reply: FastifyReply, error: ApiError) =>
    ctx.sendError(reply, error.code, error.message, error.detail);

  /** Authorizes and charges one request; null when the reply has been sent. */
  const begin = (request: FastifyRequest, reply: FastifyReply): SandboxUser | null => {
    const user = ctx.authorize(request, reply, CALENDAR_READ_SCOPES);
    if (!user || !ctx.spendQuota(reply, 'calendar', user.email, 1)) return null;
    return user;
  };

  const zoneOf = (user: SandboxUser, calendar: StoredCalendar): string =>
    calendar.meta.timeZone ?? primaryZone(user);
  const primaryZone = (user: SandboxUser): string =>
    store.calendar(user.email, 'primary')?.meta.timeZone ?? user.timeZone;

  const renderContext = (
    user: SandboxUser,
    calendar: StoredCalendar,
    responseZone: string | null,
  ): RenderContext => {
    const calendarZone = zoneOf(user, calendar);
    return {
      calendar: calendar.meta,
      calendarZone,
      responseZone: responseZone ?? calendarZone,
      baseUrl: ctx.baseUrl(),
    };
  };

  app.get(`${ROOT}/users/me/calendarList`, async (request, reply) => {
    const user = begin(request, reply);
    if (!user) return reply;
    const minimum = queryValue(request.query, 'minAccessRole');
    const calendars = store
      .calendars(user.email)
      .filter((c) => hasRole(c.meta.accessRole, minimum));
    const items = calendars.map((c) => calendarListEntry(c.meta, zoneOf(user, c)));
    return {
      kind: 'calendar#calendarList',
      etag: quotedEtag('calendarList', ...items.map((item) => String(item.etag))),
      nextSyncToken: quotedEtag('sync', user.email).replaceAll('"', ''),
      items,
    };
  });

  app.get<{ Params: Params }>(
    `${ROOT}/users/me/calendarList/:calendarId`,
    async (request, reply) => {
      const user = begin(request, reply);
      if (!user) return reply;
      const calendar = store.calendar(user.email, request.params.calendarId ?? '');
      if (!calendar) return notFound(reply);
      return calendarListEntry(calendar.meta, zoneOf(user, calendar));
    },
  );

  app.get<{ Params: Params }>(`${ROOT}/calendars/:calendarId`, async (request, reply) => {
    const user = begin(request, reply);
    if (!user) return reply;
    const calendar = store.calendar(user.email, request.params.calendarId ?? '');
    if (!calendar) return notFound(reply);
    return calendarResource(calendar.meta, zoneOf(user, calendar));
  });

  const listRoute =
    (instancesOf: boolean) =>
    async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
      const user = begin(request, reply);
      if (!user) return reply;
      const found = store.calendar(user.email, request.params.calendarId ?? '');
      if (!found) return notFound(reply);
      const parsed = parseListParams(request.query);
      if (!parsed.ok) return fail(reply, parsed.error);
      const params = instancesOf ? { ...parsed.value, singleEvents: true, q: null } : parsed.value;
      let calendar = found;
      if (instancesOf) {
        const series = [...found.series.values()].find((s) => s.id === request.params.eventId);
        if (!series) return notFound(reply);
        calendar = { meta: found.meta, series: new Map([[series.uid, series]]) };
      }
      const render = renderContext(user, calendar, params.timeZone);
      const now = ctx.now().getTime();
      const page = listEvents(calendar, params, render, now);
      const updated = formatUtcMillis(lastUpdated(calendar, now));
      const body: Record<string, unknown> = {
        kind: 'calendar#events',
        etag: quotedEtag('events', found.meta.id, updated, String(page.items.length)),
        summary: found.meta.summary,
      };
      if (found.meta.description !== null) body.description = found.meta.description;
      Object.assign(body, {
        updated,
        timeZone: render.calendarZone,
        accessRole: found.meta.accessRole,
        defaultReminders: defaultReminders(found.meta),
      });
      if (page.nextPageToken) body.nextPageToken = page.nextPageToken;
      body.items = page.items;
      return body;
    };

  app.get<{ Params: Params }>(`${ROOT}/calendars/:calendarId/events`, listRoute(false));
  app.get<{ Params: Params }>(
    `${ROOT}/calendars/:calendarId/events/:eventId/instances`,
    listRoute(true),
  );

  app.get<{ Params: Params }>(
    `${ROOT}/calendars/:calendarId/events/:eventId`,
    async (request, reply) => {
      const user = begin(request, reply);
      if (!user) return reply;
      const calendar = store.calendar(user.email, request.params.calendarId ?? '');
      if (!calendar) return notFound(reply);
      const zone = zoneParam(request.query);
      if (!zone.ok) return fail(reply, zone.error);
      const event = getEvent(
        calendar,
        request.params.eventId ?? '',
        renderContext(user, calendar, zone.value),
      );
      return event ?? notFound(reply);
    },
  );

  app.post(`${ROOT}/freeBusy`, async (request, reply) => {
    const user = begin(request, reply);
    if (!user) return reply;
    const parsed = parseFreeBusyBody(request.body);
    if (!parsed.ok) return fail(reply, parsed.error);
    return freeBusyResponse(parsed.value, (id) => {
      const calendar = store.calendar(user.email, id);
      return calendar ? { calendar, zone: zoneOf(user, calendar) } : undefined;
    });
  });

  app.get(`${ROOT}/users/me/settings`, async (request, reply) => {
    const user = begin(request, reply);
    if (!user) return reply;
    const items = userSettings(primaryZone(user));
    return {
      kind: 'calendar#settings',
      etag: quotedEtag('settings', ...items.map((item) => String(item.etag))),
      nextSyncToken: quotedEtag('settings-sync', user.email).replaceAll('"', ''),
      items,
    };
  });

  app.get<{ Params: Params }>(`${ROOT}/users/me/settings/:setting`, async (request, reply) => {
    const user = begin(request, reply);
    if (!user) return reply;
    const setting = userSettings(primaryZone(user)).find((s) => s.id === request.params.setting);
    return setting ?? notFound(reply);
  });
}
