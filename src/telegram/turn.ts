/**
 * One exchange with one user: who they are, where their chat is, how to run a capability
 * for them (validated answer, typing indicator when Google is slow, their Calendar zone
 * remembered) and how to turn any failure into a sentence with the right button.
 */
import type { Api } from 'grammy';
import { IANAZone } from 'luxon';
import type { z } from 'zod';
import { calendarAgenda } from '../capabilities/index.ts';
import { isTidingsError } from '../errors.ts';
import type { FrontDoor, UserRecord } from '../front-door.ts';
import type { Logger } from '../log.ts';
import { createButtons } from './button-state.ts';
import type { Buttons } from './button-state.ts';
import { errorSentence, UNEXPECTED_SENTENCE } from './error-sentences.ts';
import { plain, sendReply } from './reply.ts';
import type { Reply, View } from './reply.ts';
import { DEFAULT_LOCALE } from './locale.ts';
import { loggableError } from './loggable-error.ts';
import { withTyping } from './typing.ts';
import type { RecentNotices } from './recent-notices.ts';
import type { ZoneMemory } from './zone-memory.ts';

export type { MailPageState } from './button-state.ts';

/** What every handler shares, built once per bot. */
export interface BotServices {
  frontDoor: FrontDoor;
  logger: Logger;
  now: () => Date;
  zones: ZoneMemory;
  /** Broken connections just explained in an answer (the outbox then skips its notice). */
  notices: RecentNotices;
  typingAfterMs: number;
}

export interface Turn {
  services: BotServices;
  api: Api;
  chatId: number;
  user: UserRecord;
  locale: string;
  /** What this user's inline buttons stand for. */
  buttons: Buttons;
  /** The user's zone: their setting, else their Calendar's, else UTC. */
  zone(): Promise<string>;
  view(): Promise<View>;
  run<O extends z.ZodType>(
    capability: { name: string; output: O },
    input: Record<string, unknown>,
  ): Promise<z.output<O>>;
  send(reply: Reply): Promise<number>;
}

function validZone(zone: string | null | undefined): string | undefined {
  return zone && IANAZone.isValidZone(zone) ? zone : undefined;
}

export function createTurn(
  services: BotServices,
  api: Api,
  user: UserRecord,
  chatId: number,
): Turn {
  const { frontDoor, zones } = services;
  const turn: Turn = {
    services,
    api,
    chatId,
    user,
    locale: user.locale ?? DEFAULT_LOCALE,
    buttons: createButtons(frontDoor.telegram, user.id),
    async run(capability, input) {
      const raw = await withTyping(api, chatId, services.typingAfterMs, () =>
        frontDoor.invoke(user.id, capability.name, input),
      );
      const output = capability.output.parse(raw);
      const reported = (output as { timeZone?: unknown }).timeZone;
      if (typeof reported === 'string' && !validZone(user.timeZone) && validZone(reported)) {
        zones.remember(user.id, reported);
      }
      return output;
    },
    async zone() {
      const known = validZone(user.timeZone) ?? validZone(zones.get(user.id));
      if (known) return known;
      const now = services.now();
      try {
        const probe = await turn.run(calendarAgenda, {
          from: now.toISOString(),
          to: new Date(now.getTime() + 60_000).toISOString(),
        });
        return probe.timeZone;
      } catch (error) {
        // A grant without Calendar still answers mail questions; any other failure would
        // only repeat in the run that follows, so it is the answer.
        if (isTidingsError(error, 'scope_missing')) return 'UTC';
        throw error;
      }
    },
    async view() {
      return { zone: await turn.zone(), locale: turn.locale, now: services.now() };
    },
    send: (reply) => sendReply(api, chatId, reply),
  };
  return turn;
}

/** The sentence (and button) for any failure; unexpected ones are logged, never shown. */
export async function errorReply(turn: Turn, error: unknown): Promise<Reply> {
  if (!isTidingsError(error)) {
    turn.services.logger.error(
      { err: loggableError(error), userId: turn.user.id },
      'telegram handler failed',
    );
    return plain(UNEXPECTED_SENTENCE);
  }
  const sentence = errorSentence(error.code, error.details);
  if (!sentence.button) return plain(sentence.text);
  const connectionId = error.details.connectionId;
  if (error.code === 'reauth_required' && connectionId) turn.services.notices.told(connectionId);
  const button = await connectButton(
    turn,
    sentence.button === 'reconnect' ? 'Reconnect Google' : 'Connect Google',
    sentence.button === 'reconnect' ? connectionId : undefined,
  );
  return plain(sentence.text, button ? [[button]] : undefined);
}

/** A URL button to the Google consent for this user, or null when connecting is not set up. */
export async function connectButton(
  turn: Turn,
  text: string,
  connectionId?: string,
): Promise<{ text: string; url: string } | null> {
  try {
    const link = await turn.services.frontDoor.connectLink(
      turn.user.id,
      connectionId ? { connectionId } : undefined,
    );
    return { text, url: link.url };
  } catch (error) {
    if (isTidingsError(error)) return null;
    throw error;
  }
}
