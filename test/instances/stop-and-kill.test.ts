/**
 * Claim: stopping an instance in the middle of its work loses nothing it accepted.
 * - SIGTERM: the instance stops taking requests and chats, finishes the update in hand,
 *   gives its chats back and exits; the other instance answers the rest, and nothing is
 *   answered twice.
 * - `kill -9`: the updates it had acknowledged (one being answered, others waiting behind
 *   it) are answered by the other instance once their chat's lease has run out, in order;
 *   only the one that was being answered is begun a second time.
 * Work is made slow by a latency on Google Calendar at the Google sandbox; every update
 * goes to the instance that is stopped (the balancer is pinned to it) until it is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Cluster,
  control,
  firstLines,
  NO_POSTGRES,
  startCluster,
  suiteTitle,
} from './instances.harness.ts';

const STOPPED = [7_201, 7_202];
const KILLED = [7_301, 7_302, 7_303];
const LATE = 7_401;
const people = [...STOPPED, ...KILLED].map((telegramId) => ({
  email: `p${telegramId}@example.com`,
  telegramId,
}));
const ASKED = ['/today', '/timezone Europe/Paris', '/timezone Asia/Tokyo'];
const ANSWERS = [
  '📅 Today',
  'Time zone set to Europe/Paris (it is',
  'Time zone set to Asia/Tokyo (it is',
];

describe.skipIf(NO_POSTGRES)(suiteTitle('stopping one of two instances mid-work'), () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster(people);
  }, 180_000);
  afterAll(async () => {
    await cluster?.close();
  });

  /** Each chat asks for today (slow at Google) and then two quick things behind it. */
  async function askWhileSlow(chats: number[], latencyMs: number): Promise<void> {
    await control(cluster.google.url, '/faults', { path: '/calendar/v3', latencyMs });
    for (const text of ASKED) {
      await Promise.all(chats.map((id) => cluster.chat.write(id, text, 'Pat')));
    }
    // Every chat's first answer is under way (it shows "typing…"), the rest acknowledged.
    const underWay = await cluster.until(async () => {
      const typing = await Promise.all(chats.map((id) => cluster.chat.actions(id)));
      const { rows } = await cluster.inbox();
      return typing.every((actions) => actions.length > 0) && rows >= chats.length * 3;
    });
    expect(underWay).toBe(true);
  }

  async function answersOf(chats: number[]): Promise<Record<number, string[]>> {
    const answered: Record<number, string[]> = {};
    for (const id of chats) {
      const inbox = await cluster.chat.inbox(id, { count: ASKED.length, timeoutMs: 60_000 });
      answered[id] = firstLines(inbox).map((line) => line.replace(/ \(it is.*$/, ' (it is'));
    }
    return answered;
  }

  /** Attempts of each update, per chat, in update order. */
  async function attemptsOf(chats: number[]): Promise<Record<number, number[]>> {
    const rows = await cluster.handle.db
      .selectFrom('telegram_inbox')
      .select(['chat_key', 'attempts'])
      .where('chat_key', 'in', chats.map(String))
      .orderBy('update_id')
      .execute();
    const byChat: Record<number, number[]> = {};
    for (const row of rows) {
      const chat = Number(row.chat_key);
      byChat[chat] = [...(byChat[chat] ?? []), row.attempts];
    }
    return byChat;
  }

  it('SIGTERM: the instance finishes the update in hand, the other answers the rest, none twice', async () => {
    cluster.balancer.pin(0);
    await askWhileSlow(STOPPED, 1_500);
    const exited = cluster.terminate(0);
    cluster.balancer.pin(null);
    // Written while the first instance drains: the balancer finds only the second.
    await cluster.chat.write(LATE, '/timezone Europe/Berlin', 'Lee');
    const ended = await exited;
    await control(cluster.google.url, '/faults', undefined, 'DELETE');
    const late = await cluster.chat.inbox(LATE, { count: 1, timeoutMs: 60_000 });
    expect({
      ended,
      answered: await answersOf(STOPPED),
      late: firstLines(late).map((line) => line.split(' (')[0]),
      attempts: await attemptsOf(STOPPED),
      inbox: await cluster.until(async () => (await cluster.inbox()).waiting === 0),
    }).toStrictEqual({
      ended: { code: 0, signal: null },
      answered: Object.fromEntries(STOPPED.map((id) => [id, ANSWERS])),
      late: ['Time zone set to Europe/Berlin'],
      attempts: Object.fromEntries(STOPPED.map((id) => [id, [1, 1, 1]])),
      inbox: true,
    });
  }, 180_000);

  it('kill -9: what the killed instance acknowledged is answered by the other, in order', async () => {
    await cluster.start(0);
    await cluster.start(1);
    cluster.balancer.pin(0);
    await askWhileSlow(KILLED, 20_000);
    const killedAt = performance.now();
    await cluster.kill(0);
    cluster.balancer.pin(null);
    await control(cluster.google.url, '/faults', undefined, 'DELETE');
    const answered = await answersOf(KILLED);
    const recoveredMs = Math.round(performance.now() - killedAt);
    console.log(
      `[instances] kill -9: every acknowledged update answered ${recoveredMs} ms after the kill`,
    );
    expect({
      answered,
      // The update being answered at the kill is begun again; those behind it once.
      attempts: await attemptsOf(KILLED),
      inbox: await cluster.until(async () => (await cluster.inbox()).waiting === 0),
    }).toStrictEqual({
      answered: Object.fromEntries(KILLED.map((id) => [id, ANSWERS])),
      attempts: Object.fromEntries(KILLED.map((id) => [id, [2, 1, 1]])),
      inbox: true,
    });
  }, 180_000);
});
