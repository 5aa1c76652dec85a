import { describe, expect, it } from 'vitest';
import {
  NOW,
  SEARCH_TOOL,
  start,
  post,
  json,
  chat,
  current,
  closeAfterEach,
} from './server.harness.ts';

closeAfterEach();

describe('the OpenAI surface', () => {
  it('lists its one model', async () => {
    await start({ model: 'local-test' });
    const response = await fetch(`${current()?.url}/models`);
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
