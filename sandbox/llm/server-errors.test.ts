import { describe, expect, it } from 'vitest';
import { SEARCH_TOOL, start, post, json, chat, current, closeAfterEach } from './server.harness.ts';

closeAfterEach();

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
    const models = await fetch(`${current()?.url}/models`);
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
    const base = current()?.url.replace(/\/v1$/, '');
    const recorded = await (await fetch(`${base}/__sandbox/requests`)).json();
    expect([recorded, current()?.requests]).toStrictEqual([[chat()], [chat()]]);
  });

  it('switches the mode, answers 500 when failing, and refuses an unknown mode', async () => {
    await start();
    const base = current()?.url.replace(/\/v1$/, '');
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
    expect([await set.json(), current()?.mode, failed, bad.status]).toStrictEqual([
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
    const base = current()?.url.replace(/\/v1$/, '');
    await fetch(`${base}/__sandbox/reset`, { method: 'POST' });
    expect([current()?.requests.length, current()?.attempts.length]).toStrictEqual([0, 0]);
  });
});
