import { describe, expect, it } from 'vitest';
import { TidingsError } from '../errors.ts';
import { createConnectionGate, NARROWED_FOR_MS } from './connection-gate.ts';
import { createGoogleApi } from './google-api.ts';
import { harness, LIST, ok, TOO_MANY, listOf, batchIds } from './gmail-batch.harness.ts';

describe("under Gmail's concurrency limit", () => {
  it('sends at most ten gets per batch, one batch after another', async () => {
    const { ids, list } = listOf(25);
    const h = harness(list, (_round, id) => ok(id));
    const result = await h.api.gmail.listMessagesWith({}, { format: 'minimal' });
    expect({
      ids: result.messages.map((m) => m.id),
      batches: batchIds(h.exchanges),
    }).toStrictEqual({ ids, batches: [ids.slice(0, 10), ids.slice(10, 20), ids.slice(20)] });
  });

  it('sends the parts refused for too many at once again at once, in batches as wide as Gmail took', async () => {
    const { ids, list } = listOf(10);
    // Gmail takes three calls of a batch at once and refuses the rest.
    const h = harness(list, (_round, id, position) => (position < 3 ? ok(id) : TOO_MANY));
    const result = await h.api.gmail.listMessagesWith({}, { format: 'minimal' });
    expect({
      ids: result.messages.map((m) => m.id),
      batches: batchIds(h.exchanges),
      sleeps: h.sleeps,
    }).toStrictEqual({
      ids,
      batches: [ids, ids.slice(3, 6), ids.slice(6, 9), ids.slice(9)],
      sleeps: [],
    });
  });

  it("keeps the connection's Gmail calls that narrow for a minute after the last refusal", async () => {
    let clock = Date.parse('2026-11-25T10:00:00Z');
    const gate = createConnectionGate(50, () => clock);
    const { ids, list } = listOf(10);
    let refusing = true;
    const h = harness(
      list,
      (_round, id, position) => (refusing && position >= 4 ? TOO_MANY : ok(id)),
      { gate },
    );
    await h.api.gmail.listMessagesWith({}, { format: 'minimal' });
    refusing = false;
    const widths = async () => {
      const before = batchIds(h.exchanges).length;
      await h.api.gmail.listMessagesWith({}, { format: 'minimal' });
      return batchIds(h.exchanges)
        .slice(before)
        .map((batch) => batch.length);
    };
    const soon = await widths();
    clock += NARROWED_FOR_MS;
    const later = await widths();
    expect({ soon, later, all: ids.length }).toStrictEqual({
      soon: [4, 4, 2],
      later: [10],
      all: 10,
    });
  });

  it('counts refusals as failed attempts when nothing got through, and ends in provider_rate_limited', async () => {
    const h = harness(LIST, () => TOO_MANY);
    const error = await h.api.gmail.listMessagesWith({}, { format: 'minimal' }).catch((e) => e);
    expect({
      code: error instanceof TidingsError ? error.code : error,
      message: (error as Error).message,
      batches: batchIds(h.exchanges),
      sleeps: h.sleeps,
    }).toStrictEqual({
      code: 'provider_rate_limited',
      message: 'Google answered 429 (rateLimitExceeded) to gmail.messages.get',
      // Retries 2: three attempts of the first message, one call at a time after the first.
      batches: [['a', 'b', 'c'], ['a'], ['a']],
      sleeps: [250, 500],
    });
  });

  it('narrows parallel gets refused for too many at once until Gmail takes them all', async () => {
    const gate = createConnectionGate(50);
    let inFlight = 0;
    let peakAfterRefusals = 0;
    let refused = 0;
    const fakeFetch = (async () => {
      inFlight += 1;
      try {
        if (inFlight > 3) {
          refused += 1;
          return Response.json(TOO_MANY.body, { status: 429 });
        }
        if (refused > 0) peakAfterRefusals = Math.max(peakAfterRefusals, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        return Response.json({ id: 'm', threadId: 't' });
      } finally {
        inFlight -= 1;
      }
    }) as typeof fetch;
    const api = createGoogleApi({
      apiRoot: 'https://google.test',
      tokens: { accessToken: async () => 'ya29.t', refreshAfterRejection: async () => 'ya29.t' },
      connectionId: 'c1',
      fetch: fakeFetch,
      gate,
      random: () => 0.5,
      // A backoff lets the calls in flight go on, as real time would.
      sleep: () => new Promise((resolve) => setImmediate(resolve)),
    });
    const got = await Promise.all(
      Array.from({ length: 8 }, (_, i) => api.gmail.getMessage(`m${i}`, { format: 'minimal' })),
    );
    expect({
      got: got.length,
      refused,
      peakAfterRefusals,
      capacity: gate.lane('gmail', 10).capacity('c1'),
    }).toStrictEqual({ got: 8, refused: 5, peakAfterRefusals: 3, capacity: 3 });
  });
});

describe('the connection gate', () => {
  it('holds calls back while a connection has no room, first come first served', async () => {
    const gate = createConnectionGate(3);
    const log: string[] = [];
    const releases: Array<() => void> = [];
    const job = (name: string, weight: number, connection = 'c1') =>
      gate.run(connection, weight, async () => {
        log.push(`start ${name}`);
        await new Promise<void>((resolve) => releases.push(resolve));
        log.push(`end ${name}`);
      });
    const running = [job('a', 2), job('b', 2), job('c', 1), job('other', 3, 'c2')];
    await Promise.resolve();
    const first = [...log];
    const inFlight = [gate.inFlight('c1'), gate.inFlight('c2')];
    while (releases.length > 0) {
      releases.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(running);
    expect({ first, inFlight, log, after: gate.inFlight('c1') }).toStrictEqual({
      first: ['start a', 'start other'],
      inFlight: [2, 3],
      log: ['start a', 'start other', 'end a', 'start b', 'start c', 'end other', 'end b', 'end c'],
      after: 0,
    });
  });
});
