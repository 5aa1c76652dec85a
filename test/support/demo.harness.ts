/**
 * A spawned `tidings demo` as a person uses it: the sandboxes' URLs it printed, and Alex
 * connecting alex@example.com through the chat's button (consent given without the page).
 */
import { expect } from 'vitest';
import { createTelegramControl, type TelegramControl } from '../../sandbox/telegram/index.ts';
import { connectThrough, createBrowser } from '../connections/browser.harness.ts';
import type { Cli } from './cli.harness.ts';

export const DEMO_CHAT = 1002;

/** Waits for `ready`, connects Alex in chat 1002, and answers the sandboxes' URLs. */
export async function connectAlexInDemo(
  demo: Cli,
): Promise<{ google: string; telegram: string; chat: TelegramControl }> {
  await demo.line((line) => line === 'ready');
  const google = /^google sandbox: (\S+)$/.exec(demo.stdout[1] ?? '')?.[1] ?? '';
  const telegram = /^telegram sandbox: (\S+)$/.exec(demo.stdout[2] ?? '')?.[1] ?? '';
  const chat = createTelegramControl(telegram);
  await chat.write(DEMO_CHAT, '/connect', 'Alex');
  const [prompt] = await chat.inbox(DEMO_CHAT, { count: 1, timeoutMs: 20_000 });
  await fetch(`${google}/__sandbox/auto-approve`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'alex@example.com' }),
  });
  const { url } = await chat.openLoginUrl(DEMO_CHAT, prompt?.message_id ?? 0);
  expect((await connectThrough(createBrowser(), url)).status).toBe(200);
  await chat.inbox(DEMO_CHAT, { count: 2, timeoutMs: 20_000 });
  return { google, telegram, chat };
}

/** The first chat message `found` accepts, waiting for each new one (throws after a quiet `timeoutMs`). */
export async function chatMessage(
  chat: TelegramControl,
  userId: number,
  found: (text: string) => boolean,
  timeoutMs = 30_000,
): Promise<string> {
  let count = 1;
  for (;;) {
    const items = await chat.inbox(userId, { count, timeoutMs });
    const hit = items.find((item) => found(item.text));
    if (hit) return hit.text;
    if (items.length < count) throw new Error(`no such message in chat ${userId}`);
    count = items.length + 1;
  }
}

/** Presses the web chat's "Drop a new mail" as the page does: `{status, body}` of the answer. */
export async function dropDemoMail(
  telegram: string,
  mail: { from: string; subject: string },
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${telegram}/__sandbox/demo/mail`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(mail),
  });
  return { status: response.status, body: await response.json() };
}
