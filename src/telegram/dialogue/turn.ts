/**
 * One exchange with one user: who they are, where their chat is, how to run a capability
 * for them (validated answer, typing indicator when Google is slow, their Calendar zone
 * remembered), what the chat kept from earlier exchanges and what this one shows
 * (`chat-memory.ts`), and how to turn any failure into a sentence with the right button.
 * Replies that carry connect buttons are noted, so the buttons can be removed once an
 * account is connected (`connect-buttons.ts`).
 */
import type { Api } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import {
  type AnyCapability,
  type CapabilityInput,
  type CapabilityOutput,
  calendarAgenda,
} from '../../capabilities/index.ts';
import type { Assistant } from '../../assistant/index.ts';
import type { Outbox } from '../../connections/index.ts';
import { isTidingsError } from '../../errors.ts';
import { isValidZoneName } from '../../intent/index.ts';
import type { FrontDoor } from '../../front-door/index.ts';
import type { Logger } from '../../log.ts';
import type { UserRecord } from '../../users/index.ts';
import { createButtons } from '../store/index.ts';
import type { Buttons } from '../store/index.ts';
import type { ChatContext, TelegramStore } from '../store/index.ts';
import { errorSentence, loginButton, UNEXPECTED_SENTENCE } from '../render/index.ts';
import { plain, sendReply } from '../render/index.ts';
import type { Reply, View } from '../render/index.ts';
import { DEFAULT_LOCALE } from '../render/index.ts';
import { loggableError } from '../transport/index.ts';
import { withTyping } from '../transport/index.ts';
import { loadContext } from './chat-memory.ts';
import type { TurnNotes } from './chat-memory.ts';
import { noteConnectButtons, whereOf } from './connect-buttons.ts';
import type { RecentNotices } from './recent-notices.ts';
import type { ZoneMemory } from './zone-memory.ts';

export type { MailPageState } from '../store/index.ts';

/** What every handler shares, built once per bot. */
export interface BotServices {
  frontDoor: FrontDoor;
  /** What the bot keeps in the database: updates seen, button state, chat context. */
  store: TelegramStore;
  /** The notification outbox the bot delivers. */
  outbox: Pick<Outbox, 'claim' | 'delivered' | 'failed'>;
  logger: Logger;
  now: () => Date;
  zones: ZoneMemory;
  /** Broken connections just explained in an answer (the outbox then skips its notice). */
  notices: RecentNotices;
  typingAfterMs: number;
  /** The optional model path for questions the router cannot place; none without LLM settings. */
  assistant?: Assistant | null;
}

export interface Turn {
  services: BotServices;
  api: Api;
  chatId: number;
  user: UserRecord;
  locale: string;
  /** What this user's inline buttons stand for. */
  buttons: Buttons;
  /** What this exchange shows and asks, noted by the handlers for the chat context. */
  notes: TurnNotes;
  /** What the chat kept from earlier exchanges (read once); null when nothing, or expired. */
  context(): Promise<ChatContext | null>;
  /** The user's zone: their setting, else their Calendar's, else UTC. */
  zone(): Promise<string>;
  view(): Promise<View>;
  /** Runs a capability for this user; "typing…" shows when Google is slow. */
  run<C extends AnyCapability>(
    capability: C,
    input: CapabilityInput<C>,
  ): Promise<CapabilityOutput<C>>;
  /** Sends a reply; answers the id of its last message. */
  send(reply: Reply): Promise<number>;
}

function validZone(zone: string | null | undefined): string | undefined {
  return isValidZoneName(zone) ? zone : undefined;
}

/** An agenda asked for a range is the list "open 2" picks from: its events, in order. */
function noteAgenda(notes: TurnNotes, capability: AnyCapability, input: unknown, output: unknown) {
  if (capability.name !== calendarAgenda.name) return;
  const asked = input as { from?: unknown };
  const answer = output as CapabilityOutput<typeof calendarAgenda>;
  if (typeof asked.from !== 'string') return;
  notes.agenda = { from: answer.from, to: answer.to, eventIds: answer.events.map((e) => e.id) };
}

export function createTurn(
  services: BotServices,
  api: Api,
  user: UserRecord,
  chatId: number,
): Turn {
  const { frontDoor, zones } = services;
  const invoke: Turn['run'] = async (capability, input) => {
    const output = await withTyping(api, chatId, services.typingAfterMs, () =>
      frontDoor.invoke(user.id, capability, input),
    );
    const reported = (output as { timeZone?: unknown }).timeZone;
    if (typeof reported === 'string' && !validZone(user.timeZone) && validZone(reported)) {
      zones.remember(user.id, reported);
    }
    return output;
  };
  let kept: Promise<ChatContext | null> | null = null;
  const turn: Turn = {
    services,
    api,
    chatId,
    user,
    locale: user.locale ?? DEFAULT_LOCALE,
    buttons: createButtons(services.store, user.id),
    notes: {},
    context() {
      kept ??= loadContext(services, user.id);
      return kept;
    },
    async run(capability, input) {
      const output = await invoke(capability, input);
      noteAgenda(turn.notes, capability, input, output);
      return output;
    },
    async zone() {
      const known = validZone(user.timeZone) ?? validZone(zones.get(user.id));
      if (known) return known;
      const now = services.now();
      try {
        const probe = await invoke(calendarAgenda, {
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
    async send(reply) {
      const messageId = await sendReply(api, chatId, reply);
      await noteConnectButtons(whereOf(turn), messageId, reply, false);
      return messageId;
    },
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
    turn.notes.said = 'Could not answer: something went wrong on our side.';
    return plain(UNEXPECTED_SENTENCE);
  }
  turn.notes.said = `Could not answer: ${error.code}.`;
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

/**
 * A login button to the Google consent for this user, whose link opens only for their own
 * Telegram account; null when connecting is not set up.
 */
export async function connectButton(
  turn: Turn,
  text: string,
  connectionId?: string,
): Promise<InlineKeyboardButton | null> {
  try {
    const link = await turn.services.frontDoor.connectLink(turn.user.id, {
      ...(connectionId ? { connectionId } : {}),
      telegramLogin: true,
    });
    return loginButton(text, link.url);
  } catch (error) {
    if (isTidingsError(error)) return null;
    throw error;
  }
}
