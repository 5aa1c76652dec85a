import type { Api } from 'grammy';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withTyping } from './typing.ts';

afterEach(() => {
  vi.useRealTimers();
});

function recordingApi() {
  const actions: Array<{ chatId: number; action: string; at: number }> = [];
  const api = {
    sendChatAction: async (chatId: number, action: string) => {
      actions.push({ chatId, action, at: Date.now() });
      return true;
    },
  } as unknown as Api;
  return { api, actions };
}

describe('the typing indicator', () => {
  it('shows nothing for a fast answer', async () => {
    vi.useFakeTimers({ now: 0 });
    const { api, actions } = recordingApi();
    const answer = withTyping(api, 7, 400, async () => 'fast');
    await vi.advanceTimersByTimeAsync(10_000);
    expect({ answer: await answer, actions }).toStrictEqual({ answer: 'fast', actions: [] });
  });

  it('shows typing after the delay, renews it every 4 s, and stops with the answer', async () => {
    vi.useFakeTimers({ now: 0 });
    const { api, actions } = recordingApi();
    const answer = withTyping(
      api,
      7,
      400,
      () => new Promise<string>((resolve) => setTimeout(() => resolve('slow'), 9_000)),
    );
    await vi.advanceTimersByTimeAsync(9_000);
    const result = await answer;
    await vi.advanceTimersByTimeAsync(60_000);
    expect({ result, actions }).toStrictEqual({
      result: 'slow',
      actions: [400, 4_400, 8_400].map((at) => ({ chatId: 7, action: 'typing', at })),
    });
  });

  it('stops when the work fails, and passes the failure on', async () => {
    vi.useFakeTimers({ now: 0 });
    const { api, actions } = recordingApi();
    const answer = withTyping(
      api,
      7,
      400,
      () => new Promise<string>((_, reject) => setTimeout(() => reject(new Error('no')), 1_000)),
    );
    const failure = answer.catch((error: Error) => error.message);
    await vi.advanceTimersByTimeAsync(60_000);
    expect({ failure: await failure, count: actions.length }).toStrictEqual({
      failure: 'no',
      count: 1,
    });
  });
});
