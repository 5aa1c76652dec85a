/**
 * The daily briefing and the action items: the briefing asks three capabilities at once
 * (today's agenda, unread counts, action items) and shows what each answered; when all
 * three fail, the first failure is the answer (with its connect or reconnect button).
 */
import { DateTime } from 'luxon';
import { actionsExtract, calendarAgenda, gmailUnread } from '../../capabilities/index.ts';
import { isTidingsError } from '../../errors.ts';
import { errorSentence, UNEXPECTED_SENTENCE } from '../render/index.ts';
import { renderActions } from '../render/index.ts';
import { renderBriefing } from '../render/index.ts';
import type { Part } from '../render/index.ts';
import type { Reply } from '../render/index.ts';
import type { Turn } from './turn.ts';

function part<T>(settled: PromiseSettledResult<T>): Part<T> {
  if (settled.status === 'fulfilled') return { ok: true, value: settled.value };
  const error: unknown = settled.reason;
  return {
    ok: false,
    sentence: isTidingsError(error)
      ? errorSentence(error.code, error.details).text
      : UNEXPECTED_SENTENCE,
  };
}

export async function buildBriefing(turn: Turn): Promise<Reply> {
  const view = await turn.view();
  const today = DateTime.fromJSDate(view.now, { zone: view.zone }).toISODate() ?? '';
  const settled = await Promise.allSettled([
    turn.run(calendarAgenda, { day: today }),
    turn.run(gmailUnread, {}),
    turn.run(actionsExtract, { days: 3, limit: 5 }),
  ]);
  const [agenda, unread, actions] = settled;
  if (settled.every((s) => s.status === 'rejected')) {
    for (const s of settled) {
      if (s.status === 'rejected' && !isTidingsError(s.reason)) {
        turn.services.logger.error({ err: s.reason, userId: turn.user.id }, 'briefing failed');
      }
    }
    throw settled[0].status === 'rejected' ? settled[0].reason : new Error('briefing failed');
  }
  return renderBriefing(
    {
      name: turn.user.displayName,
      agenda: part(agenda),
      unread: part(unread),
      actions: part(actions),
    },
    view,
  );
}

export async function actionsReply(turn: Turn, days: number, label: string): Promise<Reply> {
  const output = await turn.run(actionsExtract, { days });
  const open = new Map<string, string>();
  for (const a of output.actions) open.set(a.messageId, await turn.buttons.pack('o', a.messageId));
  return renderActions(output, label, (id) => open.get(id) ?? 'o', await turn.view());
}
