/**
 * Reads a chat/completions request body the way OpenAI does: the fields the sandbox acts
 * on are checked (types, roles, tool definitions, tool choice, token limits) and a bad
 * one answers 400 naming the parameter; fields it does not act on pass through. Tool
 * messages must answer a preceding assistant tool call, and every assistant tool call
 * must be answered before the conversation goes on, as OpenAI requires.
 */
import { z } from 'zod';
import { invalidRequest, type OpenAiError } from './openai-errors.ts';
import type { ChatMessage, ChatRequest } from './types.ts';

const Content = z.union([
  z.string(),
  z.array(z.looseObject({ type: z.string(), text: z.string().optional() })),
]);

const ToolCallSchema = z.looseObject({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string().min(1), arguments: z.string() }),
});

const MessageSchema = z.discriminatedUnion('role', [
  z.looseObject({
    role: z.enum(['system', 'developer']),
    content: Content,
    name: z.string().optional(),
  }),
  z.looseObject({ role: z.literal('user'), content: Content, name: z.string().optional() }),
  z.looseObject({
    role: z.literal('assistant'),
    content: Content.nullish(),
    tool_calls: z.array(ToolCallSchema).nullish(),
    name: z.string().optional(),
  }),
  z.looseObject({ role: z.literal('tool'), tool_call_id: z.string().min(1), content: Content }),
]);

const ToolSchema = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});

const ToolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.looseObject({
    type: z.literal('function'),
    function: z.looseObject({ name: z.string().min(1) }),
  }),
]);

const RequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(MessageSchema).min(1),
  tools: z.array(ToolSchema).min(1).optional(),
  tool_choice: ToolChoiceSchema.optional(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
});

/** `messages[2].role` from a zod issue path. */
function paramOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text ? `${text}.${String(key)}` : String(key);
  }, '');
}

function schemaError(error: z.ZodError): OpenAiError {
  const issue = error.issues[0];
  const param = issue ? paramOf(issue.path) : '';
  if (issue?.code === 'invalid_type' && issue.input === undefined) {
    return invalidRequest(
      `Missing required parameter: '${param}'.`,
      param,
      'missing_required_parameter',
    );
  }
  const detail = issue?.message ?? 'invalid value';
  return invalidRequest(`Invalid value for '${param}': ${detail}.`, param, 'invalid_value');
}

/** The ids of assistant tool calls that a later tool message must answer, in order. */
function checkToolSequence(messages: readonly ChatMessage[]): OpenAiError | null {
  let open = new Set<string>();
  for (const [index, message] of messages.entries()) {
    if (message.role === 'tool') {
      if (!open.delete(message.tool_call_id)) {
        return invalidRequest(
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          `messages.[${index}].role`,
          'invalid_tool_message',
        );
      }
      continue;
    }
    if (open.size > 0) {
      return invalidRequest(
        `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...open].join(', ')}`,
        `messages.[${index}].role`,
        'missing_tool_response',
      );
    }
    open = new Set(message.role === 'assistant' ? (message.tool_calls ?? []).map((c) => c.id) : []);
  }
  return null;
}

function checkToolChoice(request: ChatRequest): OpenAiError | null {
  const choice = request.tool_choice;
  if (choice === undefined || choice === 'none' || choice === 'auto') return null;
  const names = (request.tools ?? []).map((t) => t.function.name);
  if (names.length === 0) {
    return invalidRequest(
      "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
      'tool_choice',
      'invalid_value',
    );
  }
  if (typeof choice === 'object' && !names.includes(choice.function.name)) {
    return invalidRequest(
      `Tool choice '${choice.function.name.slice(0, 64)}' not found in 'tools' parameter.`,
      'tool_choice',
      'invalid_value',
    );
  }
  return null;
}

export type ParsedRequest = { ok: true; request: ChatRequest } | { ok: false; error: OpenAiError };

/** Checks a parsed JSON body; `ok: false` carries the 400 to answer. */
export function parseChatRequest(body: unknown): ParsedRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      error: invalidRequest('The request body must be a JSON object.', null, 'invalid_body'),
    };
  }
  const parsed = RequestSchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: schemaError(parsed.error) };
  const request = parsed.data as ChatRequest;
  if (request.stream_options != null && request.stream !== true) {
    return {
      ok: false,
      error: invalidRequest(
        "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
        'stream_options',
        'invalid_value',
      ),
    };
  }
  const error = checkToolSequence(request.messages) ?? checkToolChoice(request);
  return error ? { ok: false, error } : { ok: true, request };
}
