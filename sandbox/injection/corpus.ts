/**
 * The prompt-injection corpus: every item, mail first, then invites, and the count per
 * technique for the README table.
 */
import { ACTION_MAIL } from './corpus-mail-actions.ts';
import { DISGUISED_MAIL } from './corpus-mail-disguised.ts';
import { TEXT_MAIL } from './corpus-mail-text.ts';
import { EVENTS } from './corpus-events.ts';
import { type InjectionItem, type Technique, TECHNIQUES } from './types.ts';

export const INJECTION_CORPUS: readonly InjectionItem[] = [
  ...TEXT_MAIL,
  ...ACTION_MAIL,
  ...DISGUISED_MAIL,
  ...EVENTS,
];

/** The item with that id; throws for an unknown id (a typo in a test). */
export function corpusItem(id: string): InjectionItem {
  const item = INJECTION_CORPUS.find((i) => i.id === id);
  if (!item) throw new Error(`no corpus item "${id}"`);
  return item;
}

/** How many items use each technique, in the order of `TECHNIQUES`. */
export function techniqueCounts(
  items: readonly InjectionItem[] = INJECTION_CORPUS,
): [Technique, number][] {
  return TECHNIQUES.map((t) => [t, items.filter((i) => i.technique === t).length]);
}
