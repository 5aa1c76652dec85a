/**
 * A `fetch` wrapper that records when each Google request started and ended, so a
 * listing's sequential round trips are counted from what really happened (the longest
 * chain of requests each starting after the previous one ended), not inferred from wall
 * time. Requests to the sandbox's control API are not recorded.
 */

export interface Exchange {
  /** `METHOD /path` without the query. */
  call: string;
  start: number;
  end: number;
}

export interface GoogleTiming {
  fetch: typeof fetch;
  /** Runs `work` and answers the Google requests made during it. */
  during<T>(work: () => Promise<T>): Promise<{ value: T; exchanges: Exchange[] }>;
}

export function createGoogleTiming(inner: typeof fetch = globalThis.fetch): GoogleTiming {
  let recording: Exchange[] | null = null;
  const wrapped = (async (input: string | URL | Request, init?: RequestInit) => {
    const log = recording;
    const start = performance.now();
    const response = await inner(input, init);
    if (log === null) return response;
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname.startsWith('/__sandbox')) return response;
    // The exchange ends when the whole answer has arrived, as a client reading it sees it.
    const body = await response.arrayBuffer();
    log.push({ call: `${init?.method ?? 'GET'} ${url.pathname}`, start, end: performance.now() });
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  }) as typeof fetch;
  return {
    fetch: wrapped,
    async during(work) {
      const exchanges: Exchange[] = [];
      recording = exchanges;
      try {
        return { value: await work(), exchanges };
      } finally {
        recording = null;
      }
    },
  };
}

/** The longest chain of exchanges in which each starts after the one before it ended. */
export function sequentialDepth(exchanges: readonly Exchange[]): number {
  const sorted = [...exchanges].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  sorted.forEach((exchange, i) => {
    let best = 0;
    for (let j = 0; j < i; j++) {
      if (sorted[j]!.end <= exchange.start) best = Math.max(best, depth[j]!);
    }
    depth.push(best + 1);
  });
  return Math.max(0, ...depth);
}
