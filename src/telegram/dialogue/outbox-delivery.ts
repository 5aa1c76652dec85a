/**
 * Delivers the notification outbox: a broken grant (with a reconnect button, and why when
 * Google reported the account disabled), a new
 * connection, and the daily briefing (built by asking the capabilities). A user who
 * blocked the bot (Telegram 403) gets the item marked failed and is not tried again by
 * this process, so a blocked chat never turns into a retry storm.
 */
import type { Api } from 'grammy';
import { GrammyError } from 'grammy';
import { TidingsError } from '../../errors.ts';
import type { OutboxItem } from '../../connections/index.ts';
import { buildBriefing } from './briefing.ts';
import { reauthClause } from '../render/index.ts';
import { bold, escapeHtml } from '../render/index.ts';
import type { Reply } from '../render/index.ts';
import { connectButton, createTurn, errorReply } from './turn.ts';
import type { BotServices, Turn } from './turn.ts';

const BATCH = 50;
const MAX_REMEMBERED = 10_000;

function capabilityNames(value: unknown): string {
  const list = Array.isArray(value) ? value : [];
  const names = [
    ...(list.includes('gmail') ? ['Gmail'] : []),
    ...(list.includes('calendar') ? ['Calendar'] : []),
  ];
  return names.length > 0 ? names.join(' and ') : 'no services yet';
}

async function briefingOrError(turn: Turn): Promise<Reply> {
  try {
    return await buildBriefing(turn);
  } catch (error) {
    return errorReply(turn, error);
  }
}

export async function notificationReply(turn: Turn, item: OutboxItem): Promise<Reply> {
  const email = typeof item.payload.email === 'string' ? item.payload.email : 'your Google account';
  switch (item.kind) {
    case 'connection_broken': {
      const reason = typeof item.payload.reason === 'string' ? item.payload.reason : undefined;
      const button = await connectButton(turn, 'Reconnect Google', item.connectionId ?? undefined);
      const buttons = button ? { buttons: [[button]] } : {};
      // Cross-Account Protection told us Google disabled the account: say so, and why.
      if (item.payload.securityEvent === 'account-disabled') {
        return {
          html:
            item.payload.eventReason === 'hijacking'
              ? `⚠️ Google disabled ${bold(email)} because someone else may have taken it over, so I deleted the access it gave me. Secure the account with Google first, then reconnect it.`
              : `⚠️ Google disabled ${bold(email)}, so I can no longer read it and deleted the access it gave me. Once Google enables it again, reconnect it.`,
          ...buttons,
        };
      }
      return {
        html: `⚠️ I can no longer read ${bold(email)}: ${escapeHtml(reauthClause(reason))}. Reconnect it to keep your answers and briefings coming.`,
        ...buttons,
      };
    }
    case 'connected':
      return {
        html: `✅ Connected as ${bold(email)} — ${escapeHtml(capabilityNames(item.payload.capabilities))}.\n\nTry "What's on today?" or /help.`,
      };
    case 'briefing':
      return briefingOrError(turn);
    default: {
      const unknown: never = item.kind;
      throw new Error(`unknown notification kind ${String(unknown)}`);
    }
  }
}

/** A turn for a user who did not write: their private chat is their Telegram id. */
export async function turnForUser(services: BotServices, api: Api, userId: string): Promise<Turn> {
  const user = await services.frontDoor.users.get(userId);
  const chatId = Number(user?.telegramUserId);
  if (!user || !Number.isSafeInteger(chatId)) {
    throw new TidingsError('not_found', 'the user has no Telegram chat');
  }
  return createTurn(services, api, user, chatId);
}

export function createOutboxDelivery(services: BotServices, api: Api): () => Promise<number> {
  const { outbox, logger } = services;
  const givenUp = new Set<string>();
  let running: Promise<number> | null = null;

  async function deliverOnce(): Promise<number> {
    const items = await outbox.claim(BATCH);
    const blockedNow = new Set<string>();
    let delivered = 0;
    for (const item of items) {
      if (givenUp.has(item.id)) continue;
      if (givenUp.size > MAX_REMEMBERED) givenUp.clear();
      if (blockedNow.has(item.userId)) {
        await outbox.failed(item.id, 'blocked by the user', { permanent: true });
        givenUp.add(item.id);
        continue;
      }
      if (item.kind === 'connection_broken' && services.notices.wasTold(item.connectionId ?? '')) {
        // The answer to the question that found the break has just said the same.
        await outbox.delivered(item.id);
        continue;
      }
      try {
        const turn = await turnForUser(services, api, item.userId);
        await turn.send(await notificationReply(turn, item));
        await outbox.delivered(item.id);
        delivered += 1;
      } catch (error) {
        const blocked = error instanceof GrammyError && error.error_code === 403;
        const reason =
          error instanceof GrammyError
            ? `telegram ${error.error_code}: ${error.description}`
            : error instanceof TidingsError
              ? error.code
              : 'delivery failed';
        if (blocked || error instanceof TidingsError) {
          givenUp.add(item.id);
          if (blocked) blockedNow.add(item.userId);
        }
        logger.warn(
          { notification: item.id, kind: item.kind, reason },
          'notification not delivered',
        );
        await outbox.failed(item.id, reason, {
          permanent: blocked || error instanceof TidingsError,
        });
      }
    }
    return delivered;
  }

  return () => {
    running ??= deliverOnce().finally(() => {
      running = null;
    });
    return running;
  };
}
