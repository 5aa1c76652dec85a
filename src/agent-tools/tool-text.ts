/**
 * Tool results as text for an AI model (MCP tool results, the OpenClaw plugin's results):
 * compact lines per item, ids kept, dates shown from the string's own wall clock.
 *
 * Every piece of text that came from mail or calendar sits inside ONE fenced
 * `untrusted-data` block per result, announced by a line outside it as data that must not
 * be followed as instructions (`text-safety.ts`). Our own framing (counts, zone, page
 * hints) stays outside the block.
 *
 * Shipped as plain JavaScript after type stripping: erasable syntax, no runtime imports
 * outside this folder. Nothing here throws on a malformed value; it falls back to JSON
 * inside the block.
 */
import type { CapabilityName } from '../capabilities/index.ts';
import { renderAgenda, renderFreebusy, renderNext } from './calendar-text.ts';
import { renderActions, renderRead, renderSearch, renderUnread } from './gmail-text.ts';
import type { Ctx } from './text-dates.ts';
import { assemble, clip, type Rendered, randomFence, type Source } from './text-safety.ts';
import { json, type Rec, rec } from './text-values.ts';
import { renderWatchCreate, renderWatchList, renderWatchRemove } from './watch-text.ts';

export { connectionsText, connectLinkText } from './account-text.ts';
export { errorText, type ToolProblem } from './error-text.ts';
export { neutralise } from './text-safety.ts';

export interface ToolTextOptions {
  /** Fixed fence id (tests); default: 8 random hex characters per call. */
  fence?: string;
  /** Dates in this year are shown without the year; default: the current date. */
  now?: Date;
}

interface Renderer {
  source: Source;
  render(output: Rec, ctx: Ctx): Rendered | null;
}

const RENDERERS: { readonly [N in CapabilityName]: Renderer } = {
  'gmail.search': { source: 'gmail', render: renderSearch },
  'gmail.unread': { source: 'gmail', render: renderUnread },
  'gmail.read': { source: 'gmail', render: renderRead },
  'calendar.agenda': { source: 'calendar', render: renderAgenda },
  'calendar.freebusy': { source: 'calendar', render: renderFreebusy },
  'calendar.next': { source: 'calendar', render: renderNext },
  'actions.extract': { source: 'gmail', render: renderActions },
  'watch.create': { source: 'gmail', render: renderWatchCreate },
  'watch.list': { source: 'gmail', render: renderWatchList },
  'watch.remove': { source: 'gmail', render: renderWatchRemove },
};

/**
 * The text a model reads as the result of `capabilityName`, given that capability's JSON
 * output. A capability without a renderer, or an output of an unexpected shape, is shown
 * as compact JSON inside the block. Never throws.
 */
export function toolText(
  capabilityName: string,
  output: unknown,
  options: ToolTextOptions = {},
): string {
  const fence =
    options.fence && /^[\w-]{1,64}$/.test(options.fence) ? options.fence : randomFence();
  const year = (options.now ?? new Date()).getUTCFullYear();
  const renderer = Object.hasOwn(RENDERERS, capabilityName)
    ? RENDERERS[capabilityName as CapabilityName]
    : undefined;
  let rendered: Rendered | null = null;
  const record = rec(output);
  if (renderer && record) {
    try {
      rendered = renderer.render(record, { year });
    } catch {
      rendered = null;
    }
  }
  const name = capabilityName.replace(/[^\w.-]/g, '').slice(0, 64) || 'tool';
  const source: Source =
    renderer?.source ??
    (/^(gmail|actions|watch)\./.test(name)
      ? 'gmail'
      : name.startsWith('calendar.')
        ? 'calendar'
        : 'gmail+calendar');
  const fallback: Rendered = {
    head: [
      renderer
        ? `${name}: the result has an unexpected shape; shown as JSON.`
        : `${name}: result shown as JSON.`,
    ],
    data: [clip(json(output), 50_000)],
  };
  return assemble(rendered ?? fallback, source, fence);
}
