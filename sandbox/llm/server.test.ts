import { afterEach, describe, expect, it } from 'vitest';
import { type ModelSandbox, startModelSandbox } from './index.ts';

const NOW = new Date('2026-03-04T10:00:00Z');
const SEARCH_TOOL = {
  type: 'function',
  function: {
    name: 'gmail_search',
    description: 'Search mail',
    parameters: {
      type: 'object',
      properties: { query: { type: 'string', maxLength: 500 } },
      additionalProperties: false,
    },
  },
};

let sandbox: ModelSandbox | null = null;
afterEach(async () => {
  await sandbox?.close();
  sandbox = null;
});

async function start(options: Parameters<typeof startModelSandbox>[0] = {}) {
  sandbox = await startModelSandbox({ now: () => NOW, ...options });
  return sandbox;
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${sandbox?.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), text };
}

async function json(path: string, body: unknown, headers: Record<string, string> = {}) {
  const { status, text } = await post(path, body, headers);
  return { status, body: JSON.parse(text) as Record<string, unknown> };
}

function chat(overrides: Record<string, unknown> = {}) {
  return {
    model: 'tidings-scripted',
    messages: [{ role: 'user', content: 'Hello there' }],
    ...overrides,
  };
}

describe('the OpenAI surface', () => {
  it('lists its one model', async () => {
    await start({ model: 'local-test' });
    const response = await fetch(`${sandbox?.url}/models`);
    expect(await response.json()).toStrictEqual({
      object: 'list',
      data: [{ id: 'local-test', object: 'model', created: 0, owned_by: 'tidings-sandbox' }],
    });
  });

  it('answers a plain question without tools as a chat.completion', async () => {
    await start();
    expect(await json('/chat/completions', chat())).toStrictEqual({
      status: 200,
      body: {
        id: expect.stringMatching(/^chatcmpl-[0-9a-f]{24}$/),
        object: 'chat.completion',
        created: NOW.getTime() / 1000,
        model: 'tidings-scripted',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: 'I have no tools to look that up.',
              refusal: null,
            },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 2, completion_tokens: 9, total_tokens: 11 },
      },
    });
  });

  it('answers the same request with the same body', async () => {
    await start();
    const request = chat({
      tools: [SEARCH_TOOL],
      messages: [{ role: 'user', content: 'What did Hana write?' }],
    });
    const first = await post('/chat/completions', request);
    const second = await post('/chat/completions', request);
    expect(second.text).toBe(first.text);
  });

  it('calls an offered tool with arguments its schema accepts', async () => {
    await start();
    const { body } = await json(
      '/chat/completions',
      chat({
        tools: [SEARCH_TOOL],
        messages: [{ role: 'user', content: 'What did Hana Ito write on the Q3 invoice?' }],
      }),
    );
    const choice = (
      body.choices as { finish_reason: string; message: { tool_calls: unknown } }[]
    )[0];
    expect([choice?.finish_reason, choice?.message.tool_calls]).toStrictEqual([
      'tool_calls',
      [
        {
          id: expect.stringMatching(/^call_[0-9a-f]{16}_0$/),
          type: 'function',
          function: { name: 'gmail_search', arguments: '{"query":"Hana Ito Q3 invoice"}' },
        },
      ],
    ]);
  });

  it('cuts a reply at max_tokens with finish_reason length', async () => {
    await start();
    const { body } = await json('/chat/completions', chat({ max_tokens: 3 }));
    const choice = (body.choices as { finish_reason: string; message: { content: string } }[])[0];
    expect([choice?.finish_reason, choice?.message.content, body.usage]).toStrictEqual([
      'length',
      'I have no',
      { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 },
    ]);
  });

  it('cuts tool arguments at max_completion_tokens too', async () => {
    await start();
    const { body } = await json(
      '/chat/completions',
      chat({
        max_completion_tokens: 4,
        tools: [SEARCH_TOOL],
        messages: [{ role: 'user', content: 'What did Hana Ito write on the Q3 invoice?' }],
      }),
    );
    const choice = (body.choices as Record<string, unknown>[])[0] as {
      finish_reason: string;
      message: { tool_calls: { function: { arguments: string } }[] };
    };
    expect([choice.finish_reason, choice.message.tool_calls[0]?.function.arguments]).toStrictEqual([
      'length',
      '{"query',
    ]);
  });

  it('streams text deltas, the finish reason, a usage chunk and [DONE]', async () => {
    await start();
    const { status, type, text } = await post(
      '/chat/completions',
      chat({ stream: true, stream_options: { include_usage: true } }),
    );
    const payloads = text
      .split('\n\n')
      .filter((event) => event !== '')
      .map((event) => event.replace(/^data: /, ''));
    const chunks = payloads.slice(0, -1).map((p) => JSON.parse(p) as Record<string, unknown>);
    const deltas = chunks.map(
      (c) => (c.choices as { delta: { content?: string } }[])[0]?.delta.content ?? '',
    );
    expect({
      status,
      type,
      done: payloads.at(-1),
      text: deltas.join(''),
      finish: (chunks.at(-2) as { choices: { finish_reason: string }[] }).choices[0]?.finish_reason,
      usage: chunks.at(-1),
    }).toStrictEqual({
      status: 200,
      type: 'text/event-stream; charset=utf-8',
      done: '[DONE]',
      text: 'I have no tools to look that up.',
      finish: 'stop',
      usage: {
        id: expect.stringMatching(/^chatcmpl-/),
        object: 'chat.completion.chunk',
        created: NOW.getTime() / 1000,
        model: 'tidings-scripted',
        choices: [],
        usage: { prompt_tokens: 2, completion_tokens: 9, total_tokens: 11 },
      },
    });
  });

  it('streams a tool call as its index, id and name, then the arguments in pieces', async () => {
    await start();
    const { text } = await post(
      '/chat/completions',
      chat({
        stream: true,
        tools: [SEARCH_TOOL],
        messages: [{ role: 'user', content: 'What did Hana Ito write on the Q3 invoice?' }],
      }),
    );
    const calls = text
      .split('\n\n')
      .filter((event) => event.startsWith('data: {'))
      .flatMap((event) => {
        const chunk = JSON.parse(event.slice(6)) as {
          choices: { delta: { tool_calls?: unknown[] } }[];
        };
        return chunk.choices[0]?.delta.tool_calls ?? [];
      }) as { index: number; id?: string; function: { name?: string; arguments: string } }[];
    expect({
      first: calls[0],
      arguments: calls.map((c) => c.function.arguments).join(''),
      pieces: calls.length > 2,
    }).toStrictEqual({
      first: {
        index: 0,
        id: expect.stringMatching(/^call_/),
        type: 'function',
        function: { name: 'gmail_search', arguments: '' },
      },
      arguments: '{"query":"Hana Ito Q3 invoice"}',
      pieces: true,
    });
  });
});

describe('errors in OpenAI shape', () => {
  it('refuses a missing bearer key with 401', async () => {
    await start({ apiKey: 'sk-test-123' });
    expect(await json('/chat/completions', chat())).toStrictEqual({
      status: 401,
      body: {
        error: {
          message:
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          type: 'invalid_request_error',
          param: null,
          code: 'missing_api_key',
        },
      },
    });
  });

  it('refuses a wrong bearer key with 401 without echoing it', async () => {
    await start({ apiKey: 'sk-test-123' });
    const answer = await post('/chat/completions', chat(), {
      authorization: 'Bearer sk-wrong-456',
    });
    expect([
      answer.status,
      JSON.parse(answer.text),
      answer.text.includes('sk-wrong'),
    ]).toStrictEqual([
      401,
      {
        error: {
          message: 'Incorrect API key provided.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      },
      false,
    ]);
  });

  it('serves the right bearer key and checks it on the model list too', async () => {
    await start({ apiKey: 'sk-test-123' });
    const ok = await json('/chat/completions', chat(), { authorization: 'Bearer sk-test-123' });
    const models = await fetch(`${sandbox?.url}/models`);
    expect([ok.status, models.status]).toStrictEqual([200, 401]);
  });

  it.each([
    ['a body that is not JSON', '{"model":', 'invalid_json', null],
    ['no messages', { model: 'tidings-scripted' }, 'missing_required_parameter', 'messages'],
    [
      'an unknown role',
      chat({ messages: [{ role: 'robot', content: 'hi' }] }),
      'invalid_value',
      'messages[0].role',
    ],
    [
      'a tool message that answers no call',
      chat({
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'tool', tool_call_id: 'x', content: 'y' },
        ],
      }),
      'invalid_tool_message',
      'messages.[1].role',
    ],
    [
      'a tool call left unanswered',
      chat({
        messages: [
          { role: 'user', content: 'hi' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
          { role: 'user', content: 'and?' },
        ],
      }),
      'missing_tool_response',
      'messages.[2].role',
    ],
    [
      'stream_options without stream',
      chat({ stream_options: { include_usage: true } }),
      'invalid_value',
      'stream_options',
    ],
    [
      'a tool_choice naming a tool not offered',
      chat({
        tools: [SEARCH_TOOL],
        tool_choice: { type: 'function', function: { name: 'send_email' } },
      }),
      'invalid_value',
      'tool_choice',
    ],
    ['max_tokens of 0', chat({ max_tokens: 0 }), 'invalid_value', 'max_tokens'],
  ])('answers 400 for %s', async (_name, body, code, param) => {
    await start();
    const answer = await json('/chat/completions', body);
    const error = (answer.body as { error: Record<string, unknown> }).error;
    expect([
      answer.status,
      error.type,
      error.code,
      error.param,
      typeof error.message,
    ]).toStrictEqual([400, 'invalid_request_error', code, param, 'string']);
  });

  it('answers 404 for an unknown model and an unknown path', async () => {
    await start();
    const model = await json('/chat/completions', chat({ model: 'gpt-9' }));
    const path = await json('/embeddings', {});
    expect([model, path]).toStrictEqual([
      {
        status: 404,
        body: {
          error: {
            message: 'The model `gpt-9` does not exist or you do not have access to it.',
            type: 'invalid_request_error',
            param: 'model',
            code: 'model_not_found',
          },
        },
      },
      {
        status: 404,
        body: {
          error: {
            message: 'Invalid URL (POST /v1/embeddings)',
            type: 'invalid_request_error',
            param: null,
            code: 'unknown_url',
          },
        },
      },
    ]);
  });
});

describe('the control API', () => {
  it('records valid requests only and serves them as JSON', async () => {
    await start();
    await post('/chat/completions', '{"model":');
    await post('/chat/completions', chat());
    const base = sandbox?.url.replace(/\/v1$/, '');
    const recorded = await (await fetch(`${base}/__sandbox/requests`)).json();
    expect([recorded, sandbox?.requests]).toStrictEqual([[chat()], [chat()]]);
  });

  it('switches the mode, answers 500 when failing, and refuses an unknown mode', async () => {
    await start();
    const base = sandbox?.url.replace(/\/v1$/, '');
    const set = await fetch(`${base}/__sandbox/mode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'failing' }),
    });
    const failed = await json('/chat/completions', chat());
    const bad = await fetch(`${base}/__sandbox/mode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'sleepy' }),
    });
    expect([await set.json(), sandbox?.mode, failed, bad.status]).toStrictEqual([
      { mode: 'failing', failure: 'http-500', delayMs: null },
      'failing',
      {
        status: 500,
        body: {
          error: {
            message: 'The server had an error while processing your request. Sorry about that!',
            type: 'server_error',
            param: null,
            code: null,
          },
        },
      },
      400,
    ]);
  });

  it('forgets requests and attempts on reset', async () => {
    await start();
    await post('/chat/completions', chat());
    const base = sandbox?.url.replace(/\/v1$/, '');
    await fetch(`${base}/__sandbox/reset`, { method: 'POST' });
    expect([sandbox?.requests.length, sandbox?.attempts.length]).toStrictEqual([0, 0]);
  });
});
