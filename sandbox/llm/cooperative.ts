/**
 * The cooperative mode: one step of a well-behaved model. Before any tool result for the
 * question it calls the tool the question needs (`cooperative-plan.ts`); after a mail
 * search that should be opened, it reads the first message found; then it answers with a
 * short plain-text summary built from the results (senders and subjects, event lines,
 * counts). It follows nothing written inside the results. Same request, same reply.
 */
import { type Exchange, offeredTools, readTurn } from './conversation.ts';
import { planFor } from './cooperative-plan.ts';
import { todayFrom } from './day-range.ts';
import { mailLines, messageIds, readMessage, splitResult } from './tool-results.ts';
import type { ChatRequest, PlannedCall, Reply, ToolSpec } from './types.ts';

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function searchSentence(result: string): string {
  const found = mailLines(result);
  if (found.length === 0) return 'I found no matching messages.';
  const shown = found.slice(0, 5).map((m) => `“${clip(m.subject, 80)}” from ${clip(m.sender, 60)}`);
  const more = found.length > 5 ? `, and ${found.length - 5} more` : '';
  return `I found ${plural(found.length, 'message')}: ${shown.join('; ')}${more}.`;
}

function readSentence(result: string): string {
  const message = readMessage(result);
  if (!message) return genericSentence(result);
  return `“${clip(message.subject, 100)}” from ${clip(message.sender, 60)}: ${clip(message.opening, 200)}`;
}

function agendaSentence(result: string): string {
  const { data } = splitResult(result);
  if (data.length === 0) return 'Your calendar has no events then.';
  const shown = data.slice(0, 6).map((l) => clip(l.trim(), 120));
  const more = data.length > 6 ? `; and ${data.length - 6} more` : '';
  return `You have ${plural(data.length, 'event')}: ${shown.join('; ')}${more}.`;
}

function genericSentence(result: string): string {
  const { framing, data } = splitResult(result);
  const lines = [...framing.slice(0, 2), ...data.slice(0, 5)].map((l) => clip(l.trim(), 120));
  return lines.length > 0 ? lines.join(' ') : 'The tool returned nothing.';
}

/** A tool result that reports a failure or refusal rather than data. */
export function looksLikeError(result: string): boolean {
  return /^(?:Error\b|AI_\w*Error\b|refused\b|Tool call execution denied|\{\s*"error")/i.test(
    result.trim(),
  );
}

function sentenceFor(exchange: Exchange, result: string): string {
  if (looksLikeError(result))
    return `I could not use ${exchange.name}: ${clip(result.split('\n')[0] ?? '', 160)}`;
  switch (exchange.name) {
    case 'gmail_search':
      return searchSentence(result);
    case 'gmail_read':
      return readSentence(result);
    case 'calendar_agenda':
      return agendaSentence(result);
    default:
      return genericSentence(result);
  }
}

/** The answer after the tool results: one sentence per result, searches left out once read. */
export function summarise(exchanges: readonly Exchange[]): string {
  const answered = exchanges.filter((e) => e.result !== null);
  if (answered.length === 0) return 'I could not find anything to answer that.';
  const read = answered.some((e) => e.name === 'gmail_read' && !looksLikeError(e.result ?? ''));
  return answered
    .filter((e) => !(read && e.name === 'gmail_search'))
    .map((e) => sentenceFor(e, e.result ?? ''))
    .join('\n');
}

/** After a search for a question that asks what a mail says: open the first one found. */
function followUp(
  exchanges: readonly Exchange[],
  tools: Map<string, ToolSpec>,
): PlannedCall | null {
  if (!tools.has('gmail_read') || exchanges.some((e) => e.name === 'gmail_read')) return null;
  const search = exchanges.find((e) => e.name === 'gmail_search' && e.result !== null);
  const id = search?.result ? messageIds(search.result)[0] : undefined;
  return id ? { name: 'gmail_read', args: { messageId: id } } : null;
}

function forced(request: ChatRequest, planned: PlannedCall | null): PlannedCall | null {
  const choice = request.tool_choice;
  if (typeof choice === 'object') {
    return planned?.name === choice.function.name
      ? planned
      : { name: choice.function.name, args: {} };
  }
  if (choice === 'required' && !planned) {
    const first = request.tools?.[0]?.function.name;
    return first ? { name: first, args: {} } : null;
  }
  return planned;
}

/** One cooperative step for the request. */
export function cooperativeStep(request: ChatRequest, now: () => Date): Reply {
  const turn = readTurn(request.messages);
  const tools = offeredTools(request);
  if (request.tool_choice === 'none' || tools.size === 0) {
    return {
      kind: 'text',
      text:
        turn.exchanges.length > 0 ? summarise(turn.exchanges) : 'I have no tools to look that up.',
    };
  }
  if (turn.exchanges.length === 0) {
    const plan = planFor(turn.question, tools, todayFrom(turn.system, now));
    const call = forced(request, plan?.first ?? null);
    return call
      ? { kind: 'tools', calls: [call] }
      : { kind: 'text', text: 'I cannot look that up with the tools I have.' };
  }
  const plan = planFor(turn.question, tools, todayFrom(turn.system, now));
  const next = plan?.thenRead ? followUp(turn.exchanges, tools) : null;
  return next
    ? { kind: 'tools', calls: [next] }
    : { kind: 'text', text: summarise(turn.exchanges) };
}
