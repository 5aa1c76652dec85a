/**
 * The OpenAI Chat Completions wire shapes the scripted model reads and writes, and the
 * sandbox's own vocabulary: modes, what a scripted step decides, and what the gullible
 * mode attempted. Only the fields the sandbox acts on are typed; a request may carry
 * more (they are kept as received).
 */

/** How the scripted model behaves; settable at any time. */
export type ModelMode = 'cooperative' | 'gullible' | 'failing' | 'slow';

export const MODEL_MODES: readonly ModelMode[] = ['cooperative', 'gullible', 'failing', 'slow'];

/** How `failing` fails: a 500 in OpenAI's error shape, or a 200 whose body breaks off. */
export type FailureKind = 'http-500' | 'broken-stream';

export const FAILURE_KINDS: readonly FailureKind[] = ['http-500', 'broken-stream'];

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A content part of a user or system message (`[{type: 'text', text}]`). */
export interface ContentPart {
  type: string;
  text?: string;
}

export type MessageContent = string | ContentPart[] | null;

export type ChatMessage =
  | { role: 'system' | 'developer'; content: MessageContent; name?: string }
  | { role: 'user'; content: MessageContent; name?: string }
  | { role: 'assistant'; content?: MessageContent; tool_calls?: ToolCall[]; name?: string }
  | { role: 'tool'; tool_call_id: string; content: MessageContent };

/** A function tool offered to the model: `parameters` is its JSON Schema. */
export interface ToolSpec {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export type ToolChoice =
  | 'none'
  | 'auto'
  | 'required'
  | { type: 'function'; function: { name: string } };

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  tool_choice?: ToolChoice;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  [field: string]: unknown;
}

/** Every valid chat/completions request body, in the order received. */
export type RecordedRequest = ChatRequest;

/** A tool call the script decided on: the name and the arguments as an object. */
export interface PlannedCall {
  name: string;
  args: Record<string, unknown>;
}

/** What one scripted step answers: text, or tool calls (never both empty). */
export type Reply = { kind: 'text'; text: string } | { kind: 'tools'; calls: PlannedCall[] };

/** What the gullible mode tried because of an instruction it read. */
export interface GullibleAttempt {
  /** Index into `requests` of the request it answered. */
  requestIndex: number;
  kind: 'tool_call' | 'link' | 'text';
  /** The instruction as read (after hidden characters were revealed), clipped. */
  instruction: string;
  /** For `tool_call`: the call as emitted. */
  tool?: string;
  args?: Record<string, unknown>;
  toolCallId?: string;
  /** For `link`: the URL as written into the answer. */
  url?: string;
  /** For `text`: the fixed text it answered with. */
  text?: string;
  /** For `tool_call`: what the client answered for the call (its tool message), once seen. */
  result?: string;
}
