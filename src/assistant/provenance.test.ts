import { describe, expect, it } from 'vitest';
import { PROVENANCE_REFUSAL } from './provenance.ts';
import { turnFor, steps, outcomes, type Invocation } from './tool-turn.harness.ts';

describe('provenance within a turn', () => {
  const search: [string, unknown] = ['gmail_search', { query: 'invoice' }];

  it('lets calls run freely before any mail or event text was seen', async () => {
    const invocations: Invocation[] = [];
    const turn = turnFor(invocations);
    const calls: Array<[string, unknown]> = [
      ['connections', {}],
      ['gmail_search', { query: 'nothing' }],
      ['calendar_agenda', { day: '2026-05-12' }],
      search,
    ];
    await steps(turn, calls);
    expect(outcomes(turn, calls).map((o) => o[1])).toStrictEqual(['ran', 'ran', 'ran', 'ran']);
  });

  it('after mail was read, opens only messages already found', async () => {
    const invocations: Invocation[] = [];
    const turn = turnFor(invocations);
    const calls: Array<[string, unknown]> = [
      search,
      ['gmail_read', { messageId: 'm1' }],
      ['gmail_read', { threadId: 't-m1' }],
      ['gmail_read', { messageId: 'm7' }],
      ['gmail_read', { messageId: 'm1', connection: 'c2' }],
    ];
    const texts = await steps(turn, calls);
    expect(outcomes(turn, calls)).toStrictEqual([
      ['gmail_search', 'ran', null],
      ['gmail_read', 'ran', null],
      ['gmail_read', 'ran', null],
      ['gmail_read', 'refused', 'provenance'],
      ['gmail_read', 'refused', 'provenance'],
    ]);
    expect(texts[3]).toBe(`Refused (provenance): ${PROVENANCE_REFUSAL}`);
    expect(invocations.map((i) => i.capability)).toStrictEqual([
      'gmail.search',
      'gmail.read',
      'gmail.read',
    ]);
  });

  it('after mail was read, refuses a new search, another tool and another range', async () => {
    const invocations: Invocation[] = [];
    const turn = turnFor(invocations);
    const calls: Array<[string, unknown]> = [
      search,
      ['gmail_search', { query: 'password reset' }],
      ['gmail_search', {}],
      ['calendar_agenda', { day: '2026-05-12' }],
      ['actions_extract', {}],
      ['connections', {}],
    ];
    await steps(turn, calls);
    expect(outcomes(turn, calls).map((o) => o.slice(1))).toStrictEqual([
      ['ran', null],
      ['refused', 'provenance'],
      ['refused', 'provenance'],
      ['refused', 'provenance'],
      ['refused', 'provenance'],
      ['refused', 'provenance'],
    ]);
    expect(invocations).toHaveLength(1);
  });

  it('continues the same search with the page token it returned, and nothing else', async () => {
    const invocations: Invocation[] = [];
    const turn = turnFor(invocations);
    const calls: Array<[string, unknown]> = [
      search,
      ['gmail_search', { query: 'invoice', pageSize: 10, pageToken: 'p2' }],
      ['gmail_search', { query: 'password', pageToken: 'p2' }],
      ['gmail_search', { query: 'invoice', pageToken: 'p3' }],
      ['gmail_search', { query: 'invoice', pageToken: 'p2', connection: 'c2' }],
      ['gmail_read', { messageId: 'm2' }],
    ];
    await steps(turn, calls);
    expect(outcomes(turn, calls).map((o) => o.slice(1))).toStrictEqual([
      ['ran', null],
      ['ran', null],
      ['refused', 'provenance'],
      ['refused', 'provenance'],
      ['refused', 'provenance'],
      ['ran', null],
    ]);
  });

  it('judges calls made side by side in one step on what came before that step', async () => {
    const invocations: Invocation[] = [];
    const turn = turnFor(invocations);
    // One model step asks for both; neither had seen the other's result.
    await turn.run('gmail_search', { query: 'invoice' }, 'a');
    await turn.run('calendar_agenda', { day: '2026-05-12' }, 'b');
    turn.beginStep();
    await turn.run('gmail_search', { query: 'password reset' }, 'c');
    const records = turn.records([
      { toolCallId: 'a', toolName: 'gmail_search', input: {} },
      { toolCallId: 'b', toolName: 'calendar_agenda', input: {} },
      { toolCallId: 'c', toolName: 'gmail_search', input: {} },
    ]);
    expect(records.map((r) => r.outcome)).toStrictEqual(['ran', 'ran', 'refused']);
  });

  it('stops after the answer has made its number of calls', async () => {
    const invocations: Invocation[] = [];
    const turn = turnFor(invocations, 2);
    const calls: Array<[string, unknown]> = [
      ['gmail_search', { query: 'nothing' }],
      ['gmail_unread', {}],
      ['calendar_next', {}],
    ];
    await steps(turn, calls);
    expect(outcomes(turn, calls).map((o) => o.slice(1))).toStrictEqual([
      ['ran', null],
      ['ran', null],
      ['refused', 'call_limit'],
    ]);
  });

  it('records calls the model library could not parse, in order', async () => {
    const invocations: Invocation[] = [];
    const turn = turnFor(invocations);
    await turn.run('gmail_unread', {}, 'x');
    const records = turn.records([
      {
        toolCallId: 'y',
        toolName: 'send_email',
        input: { to: 'a' },
        invalid: true,
        unknownTool: true,
      },
      { toolCallId: 'x', toolName: 'gmail_unread', input: {} },
      {
        toolCallId: 'z',
        toolName: 'gmail_search',
        input: '{not json',
        invalid: true,
        unknownTool: false,
      },
    ]);
    expect(records).toStrictEqual([
      { name: 'send_email', args: { to: 'a' }, outcome: 'refused', code: 'unknown_tool' },
      { name: 'gmail_unread', args: {}, outcome: 'ran' },
      { name: 'gmail_search', args: '{not json', outcome: 'refused', code: 'invalid_request' },
    ]);
  });
});
