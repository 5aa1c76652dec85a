/**
 * One call of every capability tool with arguments that answer from the seeded sandbox,
 * shared by the MCP and OpenClaw tests. A test fails when a capability is added without a
 * call here, so every tool is called through every runtime. Calls that change something
 * (`changes`) answer differently the second time; `watchRoundTrip` runs those in an order
 * that leaves nothing behind.
 */
import { CAPABILITIES } from '../../src/capabilities/index.ts';
import { expect } from 'vitest';
import { toolNameOf } from '../../src/agent-tools/index.ts';

export interface ToolCall {
  capability: string;
  tool: string;
  args: Record<string, unknown>;
  /** True when calling it again would not answer the same (it adds or removes something). */
  changes: boolean;
}

/** The query of the rule the calls create. */
const WATCH_QUERY = 'from:tool-calls@example.com';
/** Filled in by `watchRoundTrip` with the id `watch.create` answered. */
const WATCH_ID = '00000000-0000-4000-8000-000000000000';

/** Calls for a mailbox holding `messageId`, with dates in the week from `today` (YYYY-MM-DD). */
export function toolCalls(messageId: string, today: string): ToolCall[] {
  const day = (offset: number) =>
    new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  const args: Record<string, Record<string, unknown>> = {
    'gmail.search': { query: 'in:inbox', pageSize: 5 },
    'gmail.unread': {},
    'gmail.read': { messageId, maxChars: 2000 },
    'calendar.agenda': { from: day(0), to: day(6) },
    'calendar.freebusy': { from: day(0), to: day(4), minMinutes: 30 },
    'calendar.next': {},
    'actions.extract': { days: 30 },
    'watch.create': { query: WATCH_QUERY },
    'watch.list': {},
    'watch.remove': { id: WATCH_ID },
  };
  const changing = new Set(['watch.create', 'watch.remove']);
  return CAPABILITIES.map((capability) => {
    const input = args[capability.name];
    if (!input) throw new Error(`tool-calls.harness.ts has no call for ${capability.name}`);
    return {
      capability: capability.name,
      tool: toolNameOf(capability.name),
      args: input,
      changes: changing.has(capability.name),
    };
  });
}

type Structured = { isError?: boolean | undefined; structuredContent?: unknown };
type V1Get = (path: string) => Promise<{ status: number; body: unknown }>;

/**
 * Creates a new-mail alert through a runtime's tools, lists it, removes it, and reads
 * `/v1/watches` between the steps. Answers what happened and what should have, for one
 * `toStrictEqual`; the user is left with the rules they had.
 */
export async function watchRoundTrip(
  call: (tool: string, args: Record<string, unknown>) => Promise<Structured>,
  v1Get: V1Get,
): Promise<{ actual: unknown[]; expected: unknown[] }> {
  const before = (await v1Get('/watches')).body as { watches: unknown[]; limit: number };
  const created = await call('watch_create', { query: WATCH_QUERY });
  const watch = (created.structuredContent as { watch?: { id?: string } } | undefined)?.watch;
  const again = await call('watch_create', { query: WATCH_QUERY });
  const listedV1 = await v1Get('/watches');
  const listed = await call('watch_list', {});
  const removed = await call('watch_remove', { id: watch?.id ?? WATCH_ID });
  const removedAgain = await call('watch_remove', { id: watch?.id ?? WATCH_ID });
  const after = await v1Get('/watches');
  return {
    actual: [
      [created.isError ?? false, created.structuredContent],
      [again.isError ?? false, again.structuredContent],
      listedV1,
      [listed.isError ?? false, listed.structuredContent],
      [removed.isError ?? false, removed.structuredContent],
      removedAgain.isError,
      after,
    ],
    expected: [
      [
        false,
        { watch: expect.objectContaining({ query: WATCH_QUERY, paused: null }), created: true },
      ],
      [false, { watch, created: false }],
      { status: 200, body: { watches: [...before.watches, watch], limit: before.limit } },
      [false, listedV1.body],
      [false, { removed: watch }],
      true,
      { status: 200, body: before },
    ],
  };
}
