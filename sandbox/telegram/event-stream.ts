/**
 * The web chat's live feed: Server-Sent Events at `/__sandbox/users/{id}/events`. On
 * connect it sends a `snapshot` (the whole transcript and the bot's commands), then one
 * event per change: `user-message`, `bot-message`, `edit`, `delete`, `action`,
 * `callback-answer`, `reset`. A comment line every 15 s keeps proxies from closing it.
 */
import type { FastifyReply } from 'fastify';
import { transcriptItem } from './chat-views.ts';
import { defaultCommands } from './methods-misc.ts';
import type { SandboxState } from './sandbox-state.ts';
import type { ChatEvent } from './types.ts';

const HEARTBEAT_MS = 15_000;

export function openEventStream(
  state: SandboxState,
  userId: number,
  reply: FastifyReply,
  closing: AbortSignal,
): void {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const send = (type: string, data: unknown): void => {
    raw.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const snapshot = (): void => {
    const messages = state.chats.get(userId)?.messages ?? [];
    send('snapshot', {
      messages: messages.map(transcriptItem),
      commands: defaultCommands(state.bots.values()),
    });
  };
  snapshot();
  const unsubscribe = state.subscribe(userId, (event) => {
    if (event.type === 'reset') snapshot();
    else send(event.type, payloadOf(event));
  });
  const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
  const end = (): void => {
    clearInterval(heartbeat);
    unsubscribe();
    closing.removeEventListener('abort', end);
    if (!raw.writableEnded) raw.end();
  };
  raw.on('close', end);
  closing.addEventListener('abort', end, { once: true });
}

function payloadOf(event: Exclude<ChatEvent, { type: 'reset' }>): unknown {
  switch (event.type) {
    case 'user-message':
    case 'bot-message':
    case 'edit':
      return transcriptItem(event.message);
    case 'delete':
      return { message_id: event.message_id };
    case 'action':
      return event.action;
    case 'callback-answer':
      return event.answer;
    default: {
      const never: never = event;
      return never;
    }
  }
}
