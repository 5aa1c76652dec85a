/**
 * One call of every capability tool with arguments that answer from the seeded sandbox,
 * shared by the MCP and OpenClaw tests. A test fails when a capability is added without a
 * call here, so every tool is called through every runtime.
 */
import { CAPABILITIES } from '../../src/capabilities/index.ts';
import { toolNameOf } from '../../src/agent-tools/index.ts';

export interface ToolCall {
  capability: string;
  tool: string;
  args: Record<string, unknown>;
}

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
  };
  return CAPABILITIES.map((capability) => {
    const input = args[capability.name];
    if (!input) throw new Error(`tool-calls.harness.ts has no call for ${capability.name}`);
    return { capability: capability.name, tool: toolNameOf(capability.name), args: input };
  });
}
