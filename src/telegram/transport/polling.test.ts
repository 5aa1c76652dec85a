import type { Api } from 'grammy';
import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../log.ts';
import { createPoller } from './polling.ts';

const update = (id: number) => ({ update_id: id }) as Update;

describe('long polling', () => {
  it('confirms a batch (moves the offset past it) only once the bot has kept it', async () => {
    const offsets: number[] = [];
    const batches: Update[][] = [[update(5), update(6)], [update(5), update(6)], [update(7)]];
    let stop: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const api = {
      deleteWebhook: async () => true,
      getUpdates: async (params: { offset: number }, signal: AbortSignal) => {
        offsets.push(params.offset);
        const batch = batches.shift();
        if (batch) return batch;
        stop();
        return new Promise<Update[]>((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      },
    } as unknown as Api;
    let failOnce = true;
    const kept: number[][] = [];
    const poller = createPoller({
      api,
      logger: createLogger('silent'),
      deliver: async (updates) => {
        if (failOnce) {
          failOnce = false;
          throw new Error('database away');
        }
        kept.push(updates.map((u) => u.update_id));
      },
    });
    await poller.start();
    await finished;
    await poller.stop();
    expect({ offsets, kept }).toStrictEqual({
      // The failed batch is asked for again from the same offset.
      offsets: [0, 0, 7, 8],
      kept: [[5, 6], [7]],
    });
  });
});
