/**
 * New-mail alerts in the chat: `/watch <Gmail query>` (on the default account, as the
 * other mail commands), `/watches` (each with a "Remove" button, and the quiet hours),
 * `/quiet 22:00-07:00|off`, and the same asked in words ("tell me when Alice writes",
 * "what am I watching", "stop watching alice"). Everything goes through the front door's
 * watch capabilities; quiet hours are a user setting, as the briefing time is.
 */
import type { InlineKeyboardButton } from 'grammy/types';
import {
  type CapabilityOutput,
  WatchQuerySchema,
  type WatchRule,
  watchCreate,
  watchList,
  watchRemove,
} from '../../capabilities/index.ts';
import { isTidingsError } from '../../errors.ts';
import { parseQuietHours } from '../../intent/index.ts';
import { bold, escapeHtml, plain } from '../render/index.ts';
import type { Reply } from '../render/index.ts';
import { quietLine, watchLine } from '../render/render-watch.ts';
import { code, truncate } from '../render/format/index.ts';
import { errorReply } from './turn.ts';
import type { Turn } from './turn.ts';

/** Callback action of a "Remove" button under the list (its value: the rule id). */
export const REMOVE_ACTION = 'wr';

const USAGE = [
  `${bold('Watch for new mail')} with a Gmail search, for example:`,
  '/watch from:alice@northwind.example',
  '/watch subject:invoice',
  '/watch from:bank is:important',
  'Each new message that matches is sent here once. /watches lists them; /quiet 22:00-07:00 holds them overnight.',
].join('\n');

const BAD_QUERY =
  'I cannot watch that: a watch is one line of Gmail search, up to 300 characters. For example /watch from:alice@example.com';

/** The user's zone when it is known without asking Google for it to fail; else null. */
async function knownZone(turn: Turn): Promise<string | null> {
  try {
    return await turn.zone();
  } catch (error) {
    if (isTidingsError(error)) return null;
    throw error;
  }
}

/** `/watch <query>`: a new rule on the default account, or the one already there. */
export async function watchCommand(turn: Turn, arg: string): Promise<Reply> {
  if (!arg.trim()) return { html: USAGE };
  const parsed = WatchQuerySchema.safeParse(arg);
  if (!parsed.success) return plain(BAD_QUERY);
  return createWatch(turn, parsed.data);
}

export async function createWatch(turn: Turn, query: string): Promise<Reply> {
  let answer: CapabilityOutput<typeof watchCreate>;
  try {
    answer = await turn.run(watchCreate, { query });
  } catch (error) {
    return (await limitReply(turn, error)) ?? errorReply(turn, error);
  }
  const { watch, created } = answer;
  const shown = code(truncate(watch.query, 200));
  turn.notes.said = created ? `Added a watch on ${watch.query}.` : 'That watch already existed.';
  return {
    html: created
      ? `👀 I'll tell you when new mail matching ${shown} arrives in ${bold(watch.account)}. /watches lists your watches.`
      : `You already watch ${shown} in ${bold(watch.account)}. /watches lists your watches.`,
  };
}

/** The answer when a refused watch was one too many; null for any other refusal. */
async function limitReply(turn: Turn, error: unknown): Promise<Reply | null> {
  if (!isTidingsError(error, 'invalid_request') || error.details.field !== 'query') return null;
  const { watches, limit } = await turn.run(watchList, {}).catch(() => ({ watches: [], limit: 0 }));
  if (limit === 0 || watches.length < limit) return null;
  return plain(
    `You already have ${watches.length} watches, the most one person may have. Remove one with /watches first.`,
  );
}

async function listReply(turn: Turn, note?: string): Promise<Reply> {
  const [{ watches }, zone] = await Promise.all([turn.run(watchList, {}), knownZone(turn)]);
  const quiet = quietLine(turn.user.settings.quietHours ?? null, zone);
  const top = note ? `${note}\n\n` : '';
  if (watches.length === 0) {
    return {
      html: `${top}You are not watching for any mail yet. Add a watch with /watch from:alice@example.com or /watch subject:invoice.\n\n${quiet}`,
    };
  }
  const rows: InlineKeyboardButton[][] = [];
  for (const [i, rule] of watches.entries()) {
    rows.push([
      {
        text: `Remove ${i + 1}: ${truncate(rule.query, 40)}`,
        callback_data: await turn.buttons.pack(REMOVE_ACTION, rule.id),
      },
    ]);
  }
  turn.notes.said = `Listed ${watches.length} ${watches.length === 1 ? 'watch' : 'watches'}.`;
  return {
    html: `${top}${bold('New mail you are watching for')}\n\n${watches.map((w, i) => watchLine(w, i + 1)).join('\n\n')}\n\n${quiet}`,
    buttons: rows,
  };
}

/** `/watches`: the rules, each with a "Remove" button, and the quiet hours. */
export function watchesCommand(turn: Turn): Promise<Reply> {
  return listReply(turn);
}

function removedNote(rule: WatchRule): string {
  return `Stopped watching ${code(truncate(rule.query, 200))} in ${escapeHtml(rule.account)}.`;
}

/** A "Remove" button pressed: the rule goes, and the list is shown again in its place. */
export async function removeWatchPressed(turn: Turn, id: string): Promise<Reply> {
  try {
    const { removed } = await turn.run(watchRemove, { id });
    return listReply(turn, removedNote(removed));
  } catch (error) {
    if (isTidingsError(error, 'not_found') || isTidingsError(error, 'invalid_request')) {
      return listReply(turn, 'That watch was already removed.');
    }
    throw error;
  }
}

/** "Delete my watches" under /privacy: removes every watch of the user. */
export async function removeAllWatches(turn: Turn): Promise<Reply> {
  const { watches } = await turn.run(watchList, {});
  let removed = 0;
  for (const watch of watches) {
    try {
      await turn.run(watchRemove, { id: watch.id });
      removed++;
    } catch (error) {
      // Removed meanwhile (another device, the API): nothing left to do for that one.
      if (!isTidingsError(error, 'not_found')) throw error;
    }
  }
  return plain(
    removed === 0
      ? 'You have no watches now. Nothing was changed.'
      : `Deleted ${removed === 1 ? 'your watch' : `your ${removed} watches`}, and the alerts that were waiting for your quiet hours to end.`,
  );
}

/** "stop watching alice": removes the one rule whose query names it; else the list. */
export async function removeWatchByWords(turn: Turn, target: string): Promise<Reply> {
  const { watches } = await turn.run(watchList, {});
  const words = target.toLowerCase().split(' ');
  const matching = watches.filter((w) =>
    words.every((word) => w.query.toLowerCase().includes(word)),
  );
  const only = matching[0];
  if (matching.length === 1 && only) {
    const { removed } = await turn.run(watchRemove, { id: only.id });
    return { html: removedNote(removed) };
  }
  const note =
    matching.length === 0
      ? `None of your watches mentions ${code(target)}.`
      : `Several watches mention ${code(target)}: press the one to remove.`;
  return listReply(turn, note);
}

/** `/quiet 22:00-07:00`, `/quiet off`; alone, the quiet hours now. */
export async function quietCommand(turn: Turn, arg: string): Promise<Reply> {
  const { frontDoor } = turn.services;
  if (!arg.trim()) {
    return { html: quietLine(turn.user.settings.quietHours ?? null, await knownZone(turn)) };
  }
  const parsed = parseQuietHours(arg);
  if (!parsed) {
    return plain(
      'I did not understand those hours. Give two different times of day, such as /quiet 22:00-07:00, or /quiet off.',
    );
  }
  const quietHours = parsed.kind === 'off' ? null : { from: parsed.from, to: parsed.to };
  turn.user = await frontDoor.users.update(turn.user.id, {
    settings: { ...turn.user.settings, quietHours },
  });
  if (quietHours === null)
    return plain('Quiet hours are off: new-mail alerts come as they arrive.');
  const zone = await knownZone(turn);
  const where = zone ? ` (${escapeHtml(zone)})` : '';
  return {
    html: `Quiet hours set: ${bold(`${quietHours.from}–${quietHours.to}`)}${where}. New-mail alerts that arrive then wait, and come as one digest when they end. /quiet off ends them.`,
  };
}
