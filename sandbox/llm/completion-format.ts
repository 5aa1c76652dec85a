/**
 * A scripted reply as OpenAI writes it: a `chat.completion` object, or the
 * `chat.completion.chunk` events of a stream (role first, text in word-sized deltas, each
 * tool call opened with its index, id and name and its arguments in pieces, the finish
 * reason, then a usage chunk when `stream_options.include_usage` asks, then `[DONE]`).
 * `max_tokens` (or `max_completion_tokens`) cuts the reply, text or tool arguments, with
 * `finish_reason: 'length'`. Ids derive from the request, so the same request gets the
 * same answer.
 */
import { createHash } from 'node:crypto';
import { textOf } from './conversation.ts';
import { countTokens, cutToTokens } from './tokens.ts';
import type { ChatRequest, Reply, ToolCall } from './types.ts';

export type FinishReason = 'stop' | 'tool_calls' | 'length';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** The reply as it goes out: cut to the token limit, with ids. */
export interface Completion {
  id: string;
  created: number;
  model: string;
  content: string | null;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** The ids the tool calls of a reply to this request get, in order. */
export function callIds(request: ChatRequest, count: number): string[] {
  const base = hash(request.messages).slice(0, 16);
  return Array.from({ length: count }, (_, i) => `call_${base}_${i}`);
}

function promptTokens(request: ChatRequest): number {
  const messages = request.messages.map((m) => {
    const calls =
      m.role === 'assistant' ? (m.tool_calls ?? []).map((c) => c.function.arguments) : [];
    return [textOf(m.content), ...calls].join(' ');
  });
  const tools = request.tools ? countTokens(JSON.stringify(request.tools)) : 0;
  return countTokens(messages.join('\n')) + tools;
}

function cutCalls(calls: ToolCall[], max: number): { calls: ToolCall[]; cut: boolean } {
  const kept: ToolCall[] = [];
  let left = max;
  for (const call of calls) {
    const cost = countTokens(call.function.name) + countTokens(call.function.arguments);
    if (cost <= left) {
      kept.push(call);
      left -= cost;
      continue;
    }
    const room = left - countTokens(call.function.name);
    if (room > 0) {
      const args = cutToTokens(call.function.arguments, room).text;
      kept.push({ ...call, function: { ...call.function, arguments: args } });
    }
    return { calls: kept, cut: true };
  }
  return { calls: kept, cut: false };
}

export function buildCompletion(
  request: ChatRequest,
  reply: Reply,
  options: { model: string; created: number },
): Completion {
  const max = request.max_completion_tokens ?? request.max_tokens ?? Number.POSITIVE_INFINITY;
  const ids = reply.kind === 'tools' ? callIds(request, reply.calls.length) : [];
  let content: string | null = null;
  let toolCalls: ToolCall[] = [];
  let cut = false;
  if (reply.kind === 'text') {
    ({ text: content, cut } = Number.isFinite(max)
      ? cutToTokens(reply.text, max)
      : { text: reply.text, cut: false });
  } else {
    const calls: ToolCall[] = reply.calls.map((call, i) => ({
      id: ids[i] ?? `call_${i}`,
      type: 'function',
      function: { name: call.name, arguments: JSON.stringify(call.args) },
    }));
    ({ calls: toolCalls, cut } = Number.isFinite(max)
      ? cutCalls(calls, max)
      : { calls, cut: false });
  }
  const completionTokens =
    countTokens(content ?? '') +
    toolCalls.reduce(
      (n, c) => n + countTokens(c.function.name) + countTokens(c.function.arguments),
      0,
    );
  const prompt = promptTokens(request);
  return {
    id: `chatcmpl-${hash(request).slice(0, 24)}`,
    created: options.created,
    model: options.model,
    content,
    toolCalls,
    finishReason: cut ? 'length' : reply.kind === 'tools' ? 'tool_calls' : 'stop',
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completionTokens,
      total_tokens: prompt + completionTokens,
    },
  };
}

/** The non-streaming body. */
export function completionBody(c: Completion): Record<string, unknown> {
  return {
    id: c.id,
    object: 'chat.completion',
    created: c.created,
    model: c.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: c.content,
          ...(c.toolCalls.length > 0 ? { tool_calls: c.toolCalls } : {}),
          refusal: null,
        },
        logprobs: null,
        finish_reason: c.finishReason,
      },
    ],
    usage: c.usage,
  };
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** The stream's `data:` payloads, `[DONE]` last. */
export function streamPayloads(c: Completion, includeUsage: boolean): string[] {
  const chunk = (choices: unknown[], usage: Usage | null = null) =>
    JSON.stringify({
      id: c.id,
      object: 'chat.completion.chunk',
      created: c.created,
      model: c.model,
      choices,
      ...(includeUsage ? { usage } : {}),
    });
  const delta = (d: Record<string, unknown>, finish: FinishReason | null = null) =>
    chunk([{ index: 0, delta: d, logprobs: null, finish_reason: finish }]);
  const out = [
    delta({ role: 'assistant', content: c.toolCalls.length > 0 ? null : '', refusal: null }),
  ];
  for (const word of (c.content ?? '').match(/\s*\S+\s*/g) ?? [])
    out.push(delta({ content: word }));
  c.toolCalls.forEach((call, index) => {
    out.push(
      delta({
        tool_calls: [
          {
            index,
            id: call.id,
            type: 'function',
            function: { name: call.function.name, arguments: '' },
          },
        ],
      }),
    );
    for (const piece of pieces(call.function.arguments, 16)) {
      out.push(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  out.push(delta({}, c.finishReason));
  if (includeUsage) out.push(chunk([], c.usage));
  out.push('[DONE]');
  return out;
}
