import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TidingsError } from '../errors.ts';
import type { GoogleApi } from '../google/index.ts';
import { defineCapability, runCapability } from './define-capability.ts';
import type { CapabilityContext } from './define-capability.ts';
import { CAPABILITIES, capabilityNamed } from './registry.ts';

const echo = defineCapability({
  name: 'test.echo',
  title: 'Echo',
  description: 'Echoes a word.',
  scope: 'gmail',
  input: z.strictObject({ word: z.string().max(5), times: z.number().int().default(1) }),
  output: z.object({ words: z.array(z.string()) }),
  async handler(_ctx, input) {
    return { words: Array.from({ length: input.times }, () => input.word) };
  },
});

function context(grantedScopes: string[]): CapabilityContext {
  return {
    google: {} as GoogleApi,
    timeZone: 'Europe/Berlin',
    locale: 'en-GB',
    now: () => new Date('2026-11-25T10:00:00Z'),
    grantedScopes,
  };
}

const GMAIL = ['https://www.googleapis.com/auth/gmail.readonly'];

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TidingsError)
      return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('expected a failure');
}

describe('runCapability', () => {
  it('validates input, applies defaults and runs the handler', async () => {
    expect(await runCapability(echo, context(GMAIL), { word: 'hi', times: 2 })).toStrictEqual({
      words: ['hi', 'hi'],
    });
  });

  it('names the first bad field', async () => {
    expect(await failure(runCapability(echo, context(GMAIL), { word: 'toolong' }))).toStrictEqual({
      code: 'invalid_request',
      message: 'test.echo: word: Too big: expected string to have <=5 characters',
      details: { field: 'word' },
    });
  });

  it('rejects unknown fields', async () => {
    expect(
      await failure(runCapability(echo, context(GMAIL), { word: 'a', colour: 'red' })),
    ).toStrictEqual({
      code: 'invalid_request',
      message: 'test.echo: colour: unknown field',
      details: { field: 'colour' },
    });
  });

  it('rejects a run without a scope that covers the need', async () => {
    expect(
      await failure(
        runCapability(echo, context(['https://www.googleapis.com/auth/calendar.readonly']), {
          word: 'a',
        }),
      ),
    ).toStrictEqual({
      code: 'scope_missing',
      message: 'test.echo needs access to Gmail',
      details: {
        scopes: [
          'https://www.googleapis.com/auth/gmail.readonly',
          'https://www.googleapis.com/auth/gmail.modify',
          'https://mail.google.com/',
        ],
      },
    });
  });

  it('accepts a broader scope as covering the read one', async () => {
    expect(
      await runCapability(echo, context(['https://mail.google.com/']), { word: 'a' }),
    ).toStrictEqual({
      words: ['a'],
    });
  });

  it('throws a plain error when the handler breaks its output contract', async () => {
    const broken = defineCapability({
      ...echo,
      name: 'test.broken',
      handler: async () => ({ words: [1] }) as never,
    });
    await expect(runCapability(broken, context(GMAIL), { word: 'a' })).rejects.toStrictEqual(
      new Error(
        'test.broken produced an invalid result at words.0: Invalid input: expected string, received number',
      ),
    );
  });
});

describe('registry', () => {
  it('lists every capability once with a scope, a description and what it changes', () => {
    expect(
      CAPABILITIES.map((c) => [c.name, c.scope, c.description.length > 40, c.effect ?? 'reads']),
    ).toStrictEqual([
      ['gmail.search', 'gmail', true, 'reads'],
      ['gmail.unread', 'gmail', true, 'reads'],
      ['gmail.read', 'gmail', true, 'reads'],
      ['calendar.agenda', 'calendar', true, 'reads'],
      ['calendar.freebusy', 'calendar', true, 'reads'],
      ['calendar.next', 'calendar', true, 'reads'],
      ['actions.extract', 'gmail', true, 'reads'],
      ['watch.create', 'gmail', true, 'adds'],
      ['watch.list', 'gmail', true, 'reads'],
      ['watch.remove', 'gmail', true, 'removes'],
    ]);
  });

  it('finds a capability by name', () => {
    expect([capabilityNamed('calendar.next')?.name, capabilityNamed('nope')]).toStrictEqual([
      'calendar.next',
      undefined,
    ]);
  });

  it('requires exactly one of messageId and threadId for gmail.read', async () => {
    const read = capabilityNamed('gmail.read')!;
    expect(
      await failure(runCapability(read, context(GMAIL), { messageId: 'a', threadId: 'b' })),
    ).toStrictEqual({
      code: 'invalid_request',
      message: 'gmail.read: threadId: give exactly one of messageId or threadId',
      details: { field: 'threadId' },
    });
  });

  it('rejects an agenda range longer than 62 days', async () => {
    const agenda = capabilityNamed('calendar.agenda')!;
    const ctx = context(['https://www.googleapis.com/auth/calendar.readonly']);
    ctx.google = { calendar: { listCalendars: async () => [] } } as unknown as GoogleApi;
    expect(
      await failure(runCapability(agenda, ctx, { from: '2026-01-01', to: '2026-03-31' })),
    ).toStrictEqual({
      code: 'invalid_request',
      message: 'the range may span at most 62 days',
      details: { field: 'to' },
    });
  });
});
