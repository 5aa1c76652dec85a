/**
 * The typing indicator while Google is slow: when a run takes longer than `afterMs`, the
 * chat shows "typing…" (renewed every 4 s, as Telegram clears it after 5 s) until the
 * run settles. Fast answers send no chat action at all.
 */
import type { Api } from 'grammy';

const RENEW_MS = 4_000;

export async function withTyping<T>(
  api: Api,
  chatId: number,
  afterMs: number,
  work: () => Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const show = () => {
    api.sendChatAction(chatId, 'typing').catch(() => {});
    timer = setTimeout(show, RENEW_MS);
  };
  timer = setTimeout(show, afterMs);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
  }
}
