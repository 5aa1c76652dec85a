/**
 * New-mail alert results as text: `watch.create`, `watch.list` and `watch.remove`. A
 * rule's query may have been written from what a model read in mail, so the rules sit
 * inside the block like mail text; our framing (counts, the limit, what to do about a
 * paused rule) stays outside.
 */
import type { WatchRule } from '../capabilities/index.ts';
import { type Ctx, dayText, wall } from './text-dates.ts';
import { line, type Rendered } from './text-safety.ts';
import { count, list, num, type Rec, rec, str } from './text-values.ts';

type RuleItem = Pick<WatchRule, 'id' | 'query' | 'account' | 'createdAt' | 'paused'>;

const PAUSED_TEXT: Readonly<Record<NonNullable<WatchRule['paused']>, string>> = {
  reauth_required: 'paused: the account needs reconnecting',
  not_connected: 'paused: the account is no longer connected',
  scope_missing: 'paused: Gmail access was not granted',
};

function readRule(value: unknown): RuleItem | null {
  const r = rec(value);
  const id = str(r?.id);
  const query = str(r?.query);
  if (!r || !id || query === null) return null;
  const paused = str(r.paused);
  return {
    id,
    query,
    account: str(r.account) ?? '',
    createdAt: str(r.createdAt) ?? '',
    paused:
      paused !== null && Object.hasOwn(PAUSED_TEXT, paused) ? (paused as RuleItem['paused']) : null,
  };
}

/** `from:anna@example.com · alex@example.com · since Tue 10 Mar · id=…`. */
function ruleLine(rule: RuleItem, ctx: Ctx): string {
  const parts = [line(rule.query, 300) || '(empty query)'];
  if (rule.account) parts.push(line(rule.account, 120));
  const since = wall(rule.createdAt);
  if (since) parts.push(`since ${dayText(since, ctx)}`);
  if (rule.paused) parts.push(PAUSED_TEXT[rule.paused]);
  parts.push(`id=${line(rule.id, 80)}`);
  return parts.join(' · ');
}

const RECONNECT =
  'A paused alert resumes once its account is reconnected: call the connect-link tool with that account and give the user the link.';

export function renderWatchCreate(output: Rec, ctx: Ctx): Rendered | null {
  const rule = readRule(output.watch);
  if (!rule || typeof output.created !== 'boolean') return null;
  const head = output.created
    ? 'New-mail alert created: from now on, each new inbox message matching this query is announced to the user in Telegram once.'
    : 'This new-mail alert already existed; nothing changed.';
  return { head: [head], data: [ruleLine(rule, ctx)], tail: rule.paused ? [RECONNECT] : [] };
}

export function renderWatchList(output: Rec, ctx: Ctx): Rendered | null {
  const rules = list(output.watches, readRule);
  const limit = num(output.limit);
  if (!rules || limit === null) return null;
  if (rules.length === 0) {
    return { head: [`No new-mail alerts are set (the user may have up to ${limit}).`], data: [] };
  }
  const head = `${count(rules.length, 'new-mail alert')} of at most ${limit}, oldest first:`;
  const data = rules.map((rule, i) => `${i + 1}. ${ruleLine(rule, ctx)}`);
  return { head: [head], data, tail: rules.some((r) => r.paused) ? [RECONNECT] : [] };
}

export function renderWatchRemove(output: Rec, ctx: Ctx): Rendered | null {
  const rule = readRule(output.removed);
  if (!rule) return null;
  return {
    head: ['Removed this new-mail alert; it announces nothing more.'],
    data: [ruleLine(rule, ctx)],
  };
}
