/**
 * MCP figures: what the MCP layer adds on top of the runtime API. `tools/call` of
 * `gmail_search` over streamable HTTP at `/mcp` (a fresh stateless server per request, the
 * text for the model rendered, JSON-RPC around it) against `GET /v1/gmail/messages` with the
 * same query, key and concurrency in the same run. Ours and the baseline alternate run by
 * run, so drift in the machine hits both.
 */
import type { BenchStack, ConnectedUser } from './bench-stack.ts';
import { type LoadResult, median, percentile, repeat, underLoad } from './measure.ts';
import { type Figures, versus } from './report.ts';

const REQUESTS = 200;
const WARM_UP_REQUESTS = 40;
const CONCURRENCY = 8;
const RUNS = 3;
const PAGE_SIZE = 10;

async function mcpSearch(url: string, key: string, id: number): Promise<void> {
  const response = await fetch(`${url}/mcp`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'gmail_search', arguments: { query: 'in:inbox', pageSize: PAGE_SIZE } },
    }),
  });
  const body = (await response.json()) as {
    result?: { isError?: boolean; structuredContent?: { messages: unknown[] } };
  };
  if (response.status !== 200 || body.result?.isError !== undefined) {
    throw new Error(
      `/mcp tools/call answered ${response.status}: ${JSON.stringify(body).slice(0, 200)}`,
    );
  }
  if (body.result?.structuredContent?.messages.length !== PAGE_SIZE) {
    throw new Error(`/mcp gmail_search did not answer ${PAGE_SIZE} messages`);
  }
}

async function v1Search(url: string, key: string): Promise<void> {
  const response = await fetch(`${url}/v1/gmail/messages?q=in%3Ainbox&pageSize=${PAGE_SIZE}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`/v1/gmail/messages answered ${response.status}`);
}

export async function mcpFigures(
  bench: BenchStack,
  user: ConnectedUser,
  options: { quick: boolean } = { quick: false },
): Promise<Figures> {
  // Quick (CI): the same code paths with small counts.
  const requests = options.quick ? 12 : REQUESTS;
  const warmUp = options.quick ? 4 : WARM_UP_REQUESTS;
  const runs = options.quick ? 1 : RUNS;
  const warmKey = await bench.keysFor(user.userId, warmUp);
  await underLoad(warmUp, CONCURRENCY, (i) => mcpSearch(bench.url, warmKey(i), i));
  await underLoad(warmUp, CONCURRENCY, (i) => v1Search(bench.url, warmKey(i)));
  const ours: LoadResult[] = [];
  const direct: LoadResult[] = [];
  await repeat(runs, async () => {
    const keyFor = await bench.keysFor(user.userId, requests);
    ours.push(await underLoad(requests, CONCURRENCY, (i) => mcpSearch(bench.url, keyFor(i), i)));
    direct.push(await underLoad(requests, CONCURRENCY, (i) => v1Search(bench.url, keyFor(i))));
  });
  const rps = (rs: LoadResult[]) => median(rs.map((r) => r.perSecond));
  const at = (rs: LoadResult[], p: number) => median(rs.map((r) => percentile(r.latencies, p)));
  return {
    'mcp.gmail_search_rps': versus(rps(ours), 'requests/s', rps(direct)),
    'mcp.gmail_search_p50_ms': versus(at(ours, 50), 'ms', at(direct, 50)),
    'mcp.gmail_search_p99_ms': versus(at(ours, 99), 'ms', at(direct, 99)),
  };
}
