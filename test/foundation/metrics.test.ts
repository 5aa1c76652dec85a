/**
 * `/metrics` after a real flow through the whole product: a Telegram hello, a connect
 * (and a replayed callback), `/v1` Gmail searches (one meeting a 503), a refresh, a sweep,
 * and a refresh Google refuses with invalid_grant. Each family shows the label values the
 * flow produced, and nothing in the exposition names the person: not their address, user
 * id, connection id, chat id or search.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY_COMMANDS } from '../../src/admin/api-key-commands.ts';
import { DATABASES } from '../support/databases.harness.ts';
import { connectWithAutoApprove, type Stack, startStack } from '../support/stack.harness.ts';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
/** A chat id long enough that no counter or byte count can equal it by chance. */
const CHAT = 5_829_301_746;
const EMAIL = 'alex@example.com';
const QUERY = 'quarterly-zebra-report';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key!] = value!;
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample whose labels include `labels`; undefined when none. */
function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}) {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  return found.length === 0 ? undefined : found.reduce((sum, s) => sum + s.value, 0);
}

for (const database of DATABASES) {
  describe(`metrics after a real flow on ${database.name}`, () => {
    let stack: Stack;
    let text: string;
    let samples: Sample[];
    let userId: string;
    let connectionId: string;

    beforeAll(async () => {
      stack = await startStack(database, {
        telegram: true,
        env: { METRICS_TOKEN },
        start: { jobs: true },
      });
      const chat = stack.chat!;
      // Alex says hello: the bot creates the user and answers.
      await chat.write(CHAT, 'hello', 'Alex');
      await chat.inbox(CHAT, { count: 1, timeoutMs: 15_000 });
      const user = await stack.app.parts.frontDoor.users.byTelegramId(String(CHAT));
      userId = user!.id;
      const browser = await connectWithAutoApprove(stack, userId, EMAIL);
      expect(browser.status).toBe(200);
      // The same answer again: its state is spent.
      await fetch(browser.callbackUrl!, { headers: { cookie: browser.cookie ?? '' } });
      // The "connected" notice goes out through the outbox.
      await chat.inbox(CHAT, { count: 2, timeoutMs: 15_000 });
      connectionId = (await stack.app.parts.connections.list(userId))[0]!.id;

      const create = API_KEY_COMMANDS['api-keys.create']!;
      const key = (await create(stack.app.services, [userId])).at(-1) ?? '';
      const search = (path: string) =>
        fetch(`${stack.app.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
      await stack.control('/faults', {
        body: { path: '/gmail/v1/users/me/messages', status: 503, count: 1 },
      });
      expect((await search(`/v1/gmail/messages?q=${QUERY}&pageSize=3`)).status).toBe(200);
      await stack.control('/faults', { method: 'DELETE' });
      expect((await search(`/v1/gmail/messages?pageSize=3&connection=${EMAIL}`)).status).toBe(200);

      const broker = stack.app.parts.broker;
      expect(await broker.refresh(connectionId, { force: true })).toBe('refreshed');
      await stack.app.jobs!.sweepNow();
      // A Workspace session ends: the next refresh is refused with invalid_grant.
      await stack.control(`/users/${EMAIL}/revoke`, { body: { reason: 'invalid_rapt' } });
      expect(await broker.refresh(connectionId, { force: true })).toBe('needs_reauth');

      const response = await fetch(`${stack.app.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(response.status).toBe(200);
      text = await response.text();
      samples = parseExposition(text);
    }, 120_000);
    afterAll(async () => {
      await stack?.close();
    });

    const count = (name: string, labels: Record<string, string> = {}) =>
      sampleValue(samples, name, labels) ?? 0;

    it('counts OAuth callbacks by outcome', () => {
      expect({
        connected: count('tidings_oauth_callbacks_total', { outcome: 'connected' }),
        replayed: count('tidings_oauth_callbacks_total', { outcome: 'oauth_state_invalid' }),
      }).toStrictEqual({ connected: 1, replayed: 1 });
    });

    it('reports connections by status, read from the database', () => {
      expect(
        samples
          .filter((s) => s.name === 'tidings_connections')
          .map((s) => [s.labels.status, s.value]),
      ).toStrictEqual([['needs_reauth', 1]]);
    });

    it('counts and times refreshes by outcome, invalid_grant included', () => {
      expect({
        ok: count('tidings_token_refreshes_total', { outcome: 'ok' }) >= 1,
        invalidGrant: count('tidings_token_refreshes_total', { outcome: 'invalid_grant' }),
        timedOk: count('tidings_token_refresh_duration_seconds_count', { outcome: 'ok' }) >= 1,
        timedInvalid: count('tidings_token_refresh_duration_seconds_count', {
          outcome: 'invalid_grant',
        }),
      }).toStrictEqual({ ok: true, invalidGrant: 1, timedOk: true, timedInvalid: 1 });
    });

    it('counts Google calls by API, method and status, and times them', () => {
      const gmail = (method: string, status: string) =>
        count('tidings_google_requests_total', { api: 'gmail', method, status });
      expect({
        list: gmail('messages.list', '200'),
        refused: gmail('messages.list', '503'),
        batch: gmail('batch', '200') >= 1,
        inBatch: gmail('messages.get', '200') >= 1,
        timed: count('tidings_google_request_duration_seconds_count', {
          api: 'gmail',
          method: 'messages.list',
        }),
      }).toStrictEqual({ list: 2, refused: 1, batch: true, inBatch: true, timed: 3 });
    });

    it('counts Telegram updates and Bot API calls by outcome', () => {
      expect({
        answered: count('tidings_telegram_updates_total', {
          kind: 'message',
          outcome: 'answered',
        }),
        sent: count('tidings_telegram_sends_total', { method: 'sendMessage', outcome: 'ok' }) >= 2,
        polling: count('tidings_telegram_sends_total', { method: 'getUpdates' }),
      }).toStrictEqual({ answered: 1, sent: true, polling: 0 });
    });

    it('reports the outbox backlog and counts deliveries', () => {
      expect({
        delivered: count('tidings_outbox_deliveries_total', { outcome: 'delivered' }) >= 1,
        pending: Number.isFinite(sampleValue(samples, 'tidings_outbox_pending')),
        age: (sampleValue(samples, 'tidings_outbox_oldest_pending_age_seconds') ?? -1) >= 0,
      }).toStrictEqual({ delivered: true, pending: true, age: true });
    });

    it('counts job runs and keeps when each job last succeeded', () => {
      const last = sampleValue(samples, 'tidings_job_last_success_timestamp_seconds', {
        job_name: 'sweep',
      });
      expect({
        runs: count('tidings_job_runs_total', { job_name: 'sweep', outcome: 'ok' }) >= 1,
        recent: last !== undefined && Math.abs(Date.now() / 1000 - last) < 600,
      }).toStrictEqual({ runs: true, recent: true });
    });

    it('reports the database pool, that the database answers, and when the process started', () => {
      expect({
        total: count('tidings_db_pool_connections', { state: 'total' }) >= 1,
        states: samples
          .filter((s) => s.name === 'tidings_db_pool_connections')
          .map((s) => s.labels.state)
          .sort(),
        up: sampleValue(samples, 'tidings_db_up'),
        started: (sampleValue(samples, 'tidings_process_start_time_seconds') ?? 0) > 0,
      }).toStrictEqual({ total: true, states: ['idle', 'total', 'waiting'], up: 1, started: true });
    });

    it('names nobody: no address, id, chat id or search anywhere in the exposition', () => {
      const found = [EMAIL, 'alex%40example.com', userId, connectionId, String(CHAT), QUERY].filter(
        (needle) => text.includes(needle),
      );
      expect({ found, labelled: samples.length > 100 }).toStrictEqual({
        found: [],
        labelled: true,
      });
    });
  });
}
