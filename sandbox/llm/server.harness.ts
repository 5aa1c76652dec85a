/**
 * The model sandbox over plain HTTP for its own tests: one sandbox per test on a fixed
 * clock, a tool definition, and requests as `fetch` sends them.
 */
import { afterEach } from 'vitest';
import { type ModelSandbox, startModelSandbox } from './index.ts';

export const NOW = new Date('2026-03-04T10:00:00Z');
export const SEARCH_TOOL = {
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

/** The sandbox the running test started; closed after each test. */
export function current(): ModelSandbox | null {
  return sandbox;
}

/** Registers the close after each test of the calling file. */
export function closeAfterEach(): void {
  afterEach(async () => {
    await sandbox?.close();
    sandbox = null;
  });
}

export async function start(options: Parameters<typeof startModelSandbox>[0] = {}) {
  sandbox = await startModelSandbox({ now: () => NOW, ...options });
  return sandbox;
}

export async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${sandbox?.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), text };
}

export async function json(path: string, body: unknown, headers: Record<string, string> = {}) {
  const { status, text } = await post(path, body, headers);
  return { status, body: JSON.parse(text) as Record<string, unknown> };
}

export function chat(overrides: Record<string, unknown> = {}) {
  return {
    model: 'tidings-scripted',
    messages: [{ role: 'user', content: 'Hello there' }],
    ...overrides,
  };
}
