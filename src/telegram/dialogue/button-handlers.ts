/**
 * Inline button presses: reads the callback data and runs the matching step (open a
 * message, turn a page, confirm a disconnect or a deletion). A button whose state has
 * expired, or that this version does not know, gets a polite note instead.
 */
import { disconnectAsk, disconnectConfirmed, makeDefault } from './account-handlers.ts';
import { openMessage, pageByKey, unreadCommand } from './mail-handlers.ts';
import { plain } from '../render/index.ts';
import type { Reply } from '../render/index.ts';
import { deleteAsk, deleteConfirmed } from './settings-handlers.ts';
import type { Turn } from './turn.ts';
import { REMOVE_ACTION, removeAllWatches, removeWatchPressed } from './watch-handlers.ts';

export interface ButtonOutcome {
  reply: Reply | null;
  /** `send` a new message, or `replace` the one the button belongs to. */
  mode: 'send' | 'replace';
  /** A short note shown at the top of the chat. */
  toast?: string;
}

export const EXPIRED_NOTE = 'This button has expired. Send the command again for a fresh one.';

const expired: ButtonOutcome = { reply: null, mode: 'send', toast: EXPIRED_NOTE };

export async function pressButton(turn: Turn, data: string): Promise<ButtonOutcome> {
  const unpacked = await turn.buttons.unpack(data);
  if ('expired' in unpacked) return expired;
  const { action, value } = unpacked;
  switch (action) {
    case 'o':
      return value ? { reply: await openMessage(turn, value), mode: 'send' } : expired;
    case 'p': {
      const page = value ? await pageByKey(turn, value) : null;
      return page ? { reply: page, mode: 'replace' } : expired;
    }
    case 'u':
      // "Show unread mail" under the unread counts of earlier versions.
      return { reply: await unreadCommand(turn), mode: 'send' };
    case 'ad':
      return value ? { reply: await makeDefault(turn, value), mode: 'replace' } : expired;
    case 'dx':
      return value ? { reply: await disconnectAsk(turn, value), mode: 'replace' } : expired;
    case 'dy':
      return value ? { reply: await disconnectConfirmed(turn, value), mode: 'replace' } : expired;
    case 'pd':
      return { reply: deleteAsk(), mode: 'replace' };
    case 'py':
      return { reply: await deleteConfirmed(turn), mode: 'replace' };
    case 'pw':
      return { reply: await removeAllWatches(turn), mode: 'replace' };
    case REMOVE_ACTION:
      return value ? { reply: await removeWatchPressed(turn, value), mode: 'replace' } : expired;
    case 'x':
      return { reply: plain('Cancelled. Nothing was changed.'), mode: 'replace' };
    default:
      return expired;
  }
}
