/**
 * `POST /v1/chat/completions`: checks the bearer key (when one is set), the body and the
 * model like OpenAI, records the request, then answers as the current mode says —
 * cooperative or gullible steps, a failure (500, or a 200 whose body breaks off), or a
 * wait (until the client gives up, a configured delay passes, or the sandbox closes).
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { buildCompletion, callIds, completionBody, streamPayloads } from './completion-format.ts';
import { cooperativeStep } from './cooperative.ts';
import { gullibleStep } from './gullible.ts';
import { invalidRequest, type OpenAiError, serverError, unknownModel } from './openai-errors.ts';
import { parseChatRequest } from './request-schema.ts';
import type { SandboxState } from './sandbox-state.ts';
import { textOf } from './conversation.ts';
import type { ChatRequest, Reply } from './types.ts';

function sendError(reply: FastifyReply, error: OpenAiError): FastifyReply {
  return reply.code(error.status).send(error.body);
}

function parseJson(body: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof body !== 'string') return { ok: true, value: body };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}

/** Fills in what the client answered for earlier gullible tool calls. */
function noteResults(state: SandboxState, request: ChatRequest): void {
  for (const message of request.messages) {
    if (message.role !== 'tool') continue;
    for (const attempt of state.attempts) {
      if (attempt.toolCallId === message.tool_call_id && attempt.result === undefined) {
        attempt.result = textOf(message.content);
      }
    }
  }
}

/** Resolves true after the delay, false when the client or the sandbox went away first. */
function waitSlow(
  res: ServerResponse,
  delayMs: number | null,
  closing: AbortSignal,
): Promise<boolean> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (stillThere: boolean) => {
      clearTimeout(timer);
      res.off('close', gone);
      closing.removeEventListener('abort', gone);
      resolve(stillThere);
    };
    const gone = () => finish(false);
    if (closing.aborted) return resolve(false);
    if (delayMs !== null) timer = setTimeout(() => finish(true), delayMs);
    res.once('close', gone);
    closing.addEventListener('abort', gone, { once: true });
  });
}

function breakOff(reply: FastifyReply, stream: boolean): void {
  reply.hijack();
  const res = reply.raw;
  if (stream) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(
      'data: {"id":"chatcmpl-broken","object":"chat.completion.chunk","created":0,"model":"x","choices":[{"index":0,"delta":{"role":"assistant","content":"Let me',
    );
    res.destroy();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' });
  res.write(
    '{"id":"chatcmpl-broken","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Let me',
  );
  res.destroy();
}

function scriptedReply(state: SandboxState, request: ChatRequest, index: number): Reply {
  if (state.mode !== 'gullible') return cooperativeStep(request, state.now);
  const { reply, attempts } = gullibleStep(request, state.now);
  const ids = reply.kind === 'tools' ? callIds(request, reply.calls.length) : [];
  for (const { callIndex, ...attempt } of attempts) {
    const toolCallId = callIndex === undefined ? undefined : ids[callIndex];
    state.attempts.push({ ...attempt, requestIndex: index, ...(toolCallId ? { toolCallId } : {}) });
  }
  return reply;
}

function send(reply: FastifyReply, state: SandboxState, request: ChatRequest, scripted: Reply) {
  const completion = buildCompletion(request, scripted, {
    model: state.model,
    created: Math.floor(state.now().getTime() / 1000),
  });
  if (request.stream !== true) return reply.send(completionBody(completion));
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  for (const payload of streamPayloads(
    completion,
    request.stream_options?.include_usage === true,
  )) {
    res.write(`data: ${payload}\n\n`);
  }
  res.end();
  return reply;
}

export function registerChatRoute(app: FastifyInstance, state: SandboxState): void {
  app.post('/v1/chat/completions', async (req, reply) => {
    const denied = state.checkKey(req.headers.authorization);
    if (denied) return sendError(reply, denied);
    const json = parseJson(req.body);
    if (!json.ok) {
      return sendError(
        reply,
        invalidRequest(
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload.)",
          null,
          'invalid_json',
        ),
      );
    }
    const parsed = parseChatRequest(json.value);
    if (!parsed.ok) return sendError(reply, parsed.error);
    const request = parsed.request;
    if (request.model !== state.model) return sendError(reply, unknownModel(request.model));
    const index = state.requests.push(request) - 1;
    noteResults(state, request);
    if (state.mode === 'failing') {
      if (state.failure === 'http-500') return sendError(reply, serverError());
      breakOff(reply, request.stream === true);
      return reply;
    }
    if (state.mode === 'slow') {
      const stillThere = await waitSlow(reply.raw, state.delayMs, state.closing);
      if (!stillThere) {
        reply.hijack();
        reply.raw.destroy();
        return reply;
      }
    }
    return send(reply, state, request, scriptedReply(state, request, index));
  });
}
