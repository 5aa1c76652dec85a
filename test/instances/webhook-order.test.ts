/**
 * Claim: with two instances behind one webhook URL (the balancer alternates between them,
 * and the Telegram sandbox delivers eight chats at once, each chat in order), every update
 * is answered once, and each chat's answers come in the order its messages were sent —
 * although a chat's consecutive updates land on different instances.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, NO_POSTGRES, startCluster, suiteTitle } from './instances.harness.ts';

const CHATS = 12;
const PER_CHAT = 5;
const ZONES = ['Europe/Paris', 'Asia/Tokyo', 'America/New_York', 'Europe/Berlin', 'Africa/Cairo'];
const chatIds = Array.from({ length: CHATS }, (_, i) => 7_001 + i);
/** What chat `id` asks for k-th: every chat goes through the zones in its own order. */
const zoneFor = (id: number, k: number) => ZONES[(k * 2 + id) % ZONES.length]!;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! * 10) / 10;
}

describe.skipIf(NO_POSTGRES)(suiteTitle('two instances behind one webhook'), () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster([]);
  }, 180_000);
  afterAll(async () => {
    await cluster?.close();
  });

  it('answers every update once, each chat in the order sent, the deliveries spread over both', {
    timeout: 180_000,
  }, async () => {
    const started = performance.now();
    for (let k = 0; k < PER_CHAT; k++) {
      await Promise.all(
        chatIds.map((id) => cluster.chat.write(id, `/timezone ${zoneFor(id, k)}`, 'Alex')),
      );
    }
    for (const id of chatIds) {
      await cluster.chat.inbox(id, { count: PER_CHAT, timeoutMs: 120_000 });
    }
    const seconds = (performance.now() - started) / 1000;
    // Nothing is left to answer and no chat is held: no answer can still come.
    expect(
      await cluster.until(async () => {
        const inbox = await cluster.inbox();
        return inbox.waiting === 0 && inbox.leases === 0;
      }),
    ).toBe(true);

    const answered = new Map<number, string[]>();
    for (const id of chatIds) {
      answered.set(
        id,
        (await cluster.chat.inbox(id)).map(
          (m) => /^Time zone set to (\S+) \(/.exec(m.text)?.[1] ?? m.text,
        ),
      );
    }
    const total = CHATS * PER_CHAT;
    const figures = {
      updates: total,
      updatesPerSecond: Math.round((total / seconds) * 10) / 10,
      ackMedianMs: percentile(cluster.balancer.ackMs, 0.5),
      ackP95Ms: percentile(cluster.balancer.ackMs, 0.95),
      deliveriesByInstance: cluster.balancer.webhooks,
    };
    console.log(`[instances] webhook order: ${JSON.stringify(figures)}`);
    expect({
      answered: Object.fromEntries(answered),
      inbox: await cluster.inbox(),
      deliveries: cluster.balancer.webhooks.reduce((a, b) => a + b, 0),
      bothInstancesGotSome: cluster.balancer.webhooks.every((count) => count > 0),
    }).toStrictEqual({
      answered: Object.fromEntries(
        chatIds.map((id) => [id, Array.from({ length: PER_CHAT }, (_, k) => zoneFor(id, k))]),
      ),
      // Stored once each and begun once each: no update was answered twice.
      inbox: { rows: total, waiting: 0, maxAttempts: 1, leases: 0 },
      deliveries: total,
      bothInstancesGotSome: true,
    });
  });
});
