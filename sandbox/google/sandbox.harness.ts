/**
 * Test harness for the Google sandbox (used by the tests of the core, `oauth/`,
 * `control/`, `risc/` and `calendar/`): a sandbox started on port 0 with one test client
 * and two users, a browser-like walk through the consent page, and token requests.
 */
import { GMAIL_READ_SCOPES } from './context.ts';
import { buildGoogleSandboxApp } from './server.ts';
import type { ApiModule, CalendarStoreLike, MailStoreLike } from './server.ts';
import type { GoogleSandbox } from './start.ts';
import { startGoogleSandbox } from './start.ts';

export const CLIENT_ID = 'test-app';
export const CLIENT_SECRET = 'test-app-secret';
export const REDIRECT_URI = 'http://127.0.0.1:9/oauth/google/callback';
export const GMAIL_READONLY = 'https://www.googleapis.com/auth/gmail.readonly';
export const CALENDAR_READONLY = 'https://www.googleapis.com/auth/calendar.readonly';
export const USERINFO_EMAIL = 'https://www.googleapis.com/auth/userinfo.email';
export const USERINFO_PROFILE = 'https://www.googleapis.com/auth/userinfo.profile';

export interface TestSandbox extends GoogleSandbox {
  /** The users created: alex first, then sam. */
  subs: { alex: string; sam: string };
}

/** A sandbox without seed data, with client `test-app` and users alex and sam. */
export async function startTestSandbox(now?: () => Date): Promise<TestSandbox> {
  return addTestAccounts(
    await startGoogleSandbox({ port: 0, seed: false, ...(now ? { now } : {}) }),
  );
}

/** What the probe module saw: imports it was asked to do. */
export interface ProbeRecord {
  /** `labelIds` undefined: none were asked for (the store picks Gmail's arrival labels). */
  messages: { email: string; raw: string; labelIds: string[] | undefined }[];
  events: { email: string; ics: string; calendarId: string }[];
  zones: { email: string; timeZone: string }[];
}

/**
 * A sandbox whose Gmail and Calendar modules are a probe: `GET /probe/users/:userId/mail`
 * calls `ctx.authorize` with the Gmail read scopes and spends 5 quota units, and imports
 * are recorded instead of parsed.
 */
export async function startProbeSandbox(
  options: { now?: () => Date; random?: () => number } = {},
): Promise<TestSandbox & { probe: ProbeRecord }> {
  const probe: ProbeRecord = { messages: [], events: [], zones: [] };
  let url = '';
  const mail: ApiModule<MailStoreLike> = {
    createStore: () => ({
      reset: () => {
        probe.messages = [];
      },
      importMessage(email, raw, labelIds) {
        probe.messages.push({ email, raw: raw.toString('utf8'), labelIds });
        return { id: `m${probe.messages.length}`, threadId: `t${probe.messages.length}` };
      },
    }),
    loadSeed: async () => {},
    register(app, ctx) {
      app.get<{ Params: { userId: string } }>(
        '/probe/users/:userId/mail',
        async (request, reply) => {
          const user = ctx.authorize(request, reply, GMAIL_READ_SCOPES, request.params.userId);
          if (!user) return reply;
          if (!ctx.spendQuota(reply, 'gmail', user.email, 5)) return reply;
          return { email: user.email };
        },
      );
    },
  };
  const calendar: ApiModule<CalendarStoreLike> = {
    createStore: () => ({
      reset: () => {
        probe.events = [];
        probe.zones = [];
      },
      importIcs(email, ics, calendarId) {
        probe.events.push({ email, ics, calendarId });
        return { ids: [`e${probe.events.length}`] };
      },
      setPrimaryZone(email, timeZone) {
        probe.zones.push({ email, timeZone });
      },
    }),
    loadSeed: async () => {},
    register() {},
  };
  const built = await buildGoogleSandboxApp(
    {
      now: options.now ?? (() => new Date()),
      baseUrl: () => url,
      seedDir: null,
      ...(options.random ? { random: options.random } : {}),
    },
    { gmail: mail, calendar },
  );
  url = await built.app.listen({ port: 0, host: '127.0.0.1' });
  const sandbox = await addTestAccounts({
    url,
    close: () => built.app.close(),
    reset: built.reset,
  });
  return { ...sandbox, probe };
}

async function addTestAccounts(sandbox: GoogleSandbox): Promise<TestSandbox> {
  await control(sandbox.url, 'POST', '/__sandbox/clients', {
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uris: [REDIRECT_URI],
  });
  const alex = (await control(sandbox.url, 'POST', '/__sandbox/users', {
    email: 'alex@example.com',
    name: 'Alex Rivera',
  })) as { sub: string };
  const sam = (await control(sandbox.url, 'POST', '/__sandbox/users', {
    email: 'sam@example.com',
    name: 'Sam Tanaka',
  })) as { sub: string };
  return { ...sandbox, subs: { alex: alex.sub, sam: sam.sub } };
}

/** Calls the control API and returns the JSON answer (throws on a non-2xx status). */
export async function control(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

export function authorizeUrl(base: string, params: Record<string, string>): string {
  const url = new URL(`${base}/o/oauth2/v2/auth`);
  const all = {
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: `openid email profile ${GMAIL_READONLY} ${CALENDAR_READONLY}`,
    state: 'state-1',
    ...params,
  };
  for (const [name, value] of Object.entries(all)) url.searchParams.set(name, value);
  return url.toString();
}

export interface ParsedForm {
  action: string;
  /** Fields a browser would submit (hidden, checked radios and checkboxes). */
  fields: [string, string][];
  radios: { name: string; value: string; checked: boolean }[];
  checkboxes: { name: string; value: string; checked: boolean }[];
  buttons: { name: string; value: string; label: string }[];
}

function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  if (!match) return null;
  return (match[1] ?? '')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** Reads the consent page's form the way a browser sees it. */
export function parseForm(html: string): ParsedForm {
  const form = /<form\b[^>]*>/.exec(html)?.[0] ?? '';
  const parsed: ParsedForm = {
    action: attribute(form, 'action') ?? '',
    fields: [],
    radios: [],
    checkboxes: [],
    buttons: [],
  };
  for (const tag of html.match(/<input\b[^>]*>/g) ?? []) {
    const type = attribute(tag, 'type');
    const name = attribute(tag, 'name') ?? '';
    const value = attribute(tag, 'value') ?? '';
    const checked = /\schecked[\s>]/.test(tag);
    if (type === 'hidden') parsed.fields.push([name, value]);
    if (type === 'radio') parsed.radios.push({ name, value, checked });
    if (type === 'checkbox') parsed.checkboxes.push({ name, value, checked });
    if ((type === 'radio' || type === 'checkbox') && checked) parsed.fields.push([name, value]);
  }
  for (const match of html.matchAll(/<button\b([^>]*)>([^<]*)<\/button>/g)) {
    const tag = match[1] ?? '';
    parsed.buttons.push({
      name: attribute(tag, 'name') ?? '',
      value: attribute(tag, 'value') ?? '',
      label: match[2] ?? '',
    });
  }
  return parsed;
}

export interface ConsentChoice {
  /** The button pressed; default Allow. */
  action?: 'allow' | 'cancel';
  /** Pick this account instead of the preselected one. */
  account?: string;
  /** Untick these scopes. */
  untick?: string[];
}

/**
 * Opens the authorization URL, answers the consent page like a browser would, and
 * returns where the sandbox redirects to.
 */
export async function consent(
  base: string,
  authUrl: string,
  choice: ConsentChoice = {},
): Promise<URL> {
  const page = await fetch(authUrl, { redirect: 'manual' });
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}`);
  const form = parseForm(await page.text());
  const fields = form.fields.filter(([name, value]) => {
    if (name === 'scope' && choice.untick?.includes(value)) return false;
    return !(name === 'account' && choice.account !== undefined);
  });
  if (choice.account !== undefined) fields.push(['account', choice.account]);
  const button = form.buttons.find((b) => b.value === (choice.action ?? 'allow'));
  if (!button) throw new Error('button not found');
  fields.push([button.name, button.value]);
  const response = await fetch(new URL(form.action, base), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) throw new Error(`consent answered ${response.status}`);
  return new URL(location);
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** POSTs a form to `/token` with client_secret_post credentials (unless given). */
export async function tokenRequest(
  base: string,
  fields: Record<string, string>,
): Promise<TokenAnswer> {
  const response = await fetch(`${base}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      ...fields,
    }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function exchangeCode(
  base: string,
  code: string,
  extra: Record<string, string> = {},
): Promise<TokenAnswer> {
  return tokenRequest(base, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    ...extra,
  });
}

/** Consents on the page with the given parameters and exchanges the code. */
export async function signIn(
  base: string,
  params: Record<string, string>,
  choice: ConsentChoice = {},
): Promise<Record<string, unknown>> {
  const back = await consent(base, authorizeUrl(base, params), choice);
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`no code: ${back.search}`);
  const answer = await exchangeCode(base, code);
  if (answer.status !== 200) throw new Error(`token exchange answered ${answer.status}`);
  return answer.body;
}

export function decodeJwtPayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}
