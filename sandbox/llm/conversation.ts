/**
 * Reading a conversation the way the scripted model needs it: the text of any content
 * shape, the question (the last user message), the tool calls made and results received
 * since that question, and the tools offered.
 */
import type { ChatMessage, ChatRequest, MessageContent, ToolSpec } from './types.ts';

/** The text of a message content: a string, or the text parts joined. */
export function textOf(content: MessageContent | undefined): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text !== '')
    .join('\n');
}

/** One tool call made since the question, with the result the client sent back. */
export interface Exchange {
  id: string;
  name: string;
  args: Record<string, unknown>;
  result: string | null;
}

export interface Turn {
  /** The last user message's text ('' when there is none). */
  question: string;
  /** Index of that message in `messages` (-1 when there is none). */
  questionIndex: number;
  /** Every system (and developer) message's text, joined. */
  system: string;
  /** Tool calls and their results after the question, in order. */
  exchanges: Exchange[];
}

function parseArgs(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

export function readTurn(messages: readonly ChatMessage[]): Turn {
  const questionIndex = messages.findLastIndex((m) => m.role === 'user');
  const question = questionIndex >= 0 ? textOf(messages[questionIndex]?.content) : '';
  const system = messages
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map((m) => textOf(m.content))
    .join('\n');
  const exchanges: Exchange[] = [];
  for (const message of messages.slice(questionIndex + 1)) {
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) {
        exchanges.push({
          id: call.id,
          name: call.function.name,
          args: parseArgs(call.function.arguments),
          result: null,
        });
      }
    } else if (message.role === 'tool') {
      const exchange = exchanges.find((e) => e.id === message.tool_call_id);
      if (exchange) exchange.result = textOf(message.content);
    }
  }
  return { question, questionIndex, system, exchanges };
}

/** The tools offered, by name. */
export function offeredTools(request: ChatRequest): Map<string, ToolSpec> {
  return new Map((request.tools ?? []).map((tool) => [tool.function.name, tool]));
}

/** Tool results of the whole conversation (not only this turn), oldest first. */
export function allToolResults(messages: readonly ChatMessage[]): string[] {
  return messages.filter((m) => m.role === 'tool').map((m) => textOf(m.content));
}
