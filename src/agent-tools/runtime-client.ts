/**
 * The tool backend for runtimes outside the server process (`tidings mcp` over stdio, the
 * OpenClaw plugin): every call goes to a running Tidings over `/v1` with a per-user API
 * key, so the server keeps the only copy of the tokens and the key's user is the only user
 * reachable. `/v1` problems become tool problems with the same stable code; a server that
 * cannot be reached, or answers something that is not Tidings, is `tidings_unreachable`.
 */
import type { Outcome, ToolBackend, ToolProblem } from './tool-runner.ts';

export interface RuntimeClientOptions {
  /** Where Tidings answers, e.g. `https://tidings.example.com` (its PUBLIC_URL). */
  baseUrl: string;
  /** A key from `tidings api-keys create` (or `tidings openclaw config`). */
  apiKey: string;
  fetch?: typeof fetch;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  /** How the runtime names the two settings in a `not_configured` answer. */
  settingNames?: SettingNames;
}

export interface SettingNames {
  baseUrl: string;
  apiKey: string;
}

/** The plugin's own names (`plugins.entries.tidings.config`). */
const PLUGIN_SETTING_NAMES: SettingNames = { baseUrl: 'baseUrl', apiKey: 'apiKey' };

const DEFAULT_TIMEOUT_MS = 30_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What is wrong with the settings, or null when they can be used. */
export function settingsProblem(
  baseUrl: unknown,
  apiKey: unknown,
  names: SettingNames = PLUGIN_SETTING_NAMES,
): ToolProblem | null {
  const missing: string[] = [];
  let url: URL | null = null;
  if (typeof baseUrl === 'string' && URL.canParse(baseUrl)) url = new URL(baseUrl);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) missing.push(names.baseUrl);
  if (typeof apiKey !== 'string' || apiKey.trim() === '') missing.push(names.apiKey);
  if (missing.length === 0) return null;
  return {
    code: 'not_configured',
    detail: `Tidings is not configured: set ${missing.join(' and ')} (an http(s) address of Tidings and an API key from "tidings api-keys create").`,
    settings: missing,
  };
}

/** A `/v1` problem body as a tool problem (only the fields a caller acts on). */
export function toolProblemOf(status: number, body: unknown): ToolProblem {
  if (!isRecord(body) || typeof body.code !== 'string') {
    return {
      code: 'tidings_unreachable',
      detail: `Tidings answered HTTP ${status} without a problem body: is the address right?`,
    };
  }
  const problem: ToolProblem = {
    code: body.code,
    detail: typeof body.detail === 'string' ? body.detail : String(body.title ?? body.code),
  };
  if (typeof body.reason === 'string') problem.reason = body.reason;
  if (typeof body.field === 'string') problem.field = body.field;
  if (typeof body.retry_after === 'number') problem.retryAfterSeconds = body.retry_after;
  if (Array.isArray(body.scopes)) problem.scopes = body.scopes;
  if (typeof body.connection === 'string') problem.connection = body.connection;
  if (Array.isArray(body.settings)) problem.settings = body.settings;
  return problem;
}

export function createRuntimeClient(options: RuntimeClientOptions): ToolBackend {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const configProblem = settingsProblem(options.baseUrl, options.apiKey, options.settingNames);
  const base = configProblem ? '' : options.baseUrl.replace(/\/+$/, '');

  async function call(
    method: 'GET' | 'POST',
    path: string,
    query: Record<string, string>,
    body?: unknown,
  ): Promise<Outcome> {
    if (configProblem) return { ok: false, problem: configProblem };
    const search = new URLSearchParams(query).toString();
    const url = `${base}/v1${path}${search ? `?${search}` : ''}`;
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method,
        headers: {
          authorization: `Bearer ${options.apiKey}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason =
        error instanceof Error && error.name === 'TimeoutError'
          ? `no answer within ${Math.round(timeoutMs / 1000)} s`
          : 'the connection failed';
      return {
        ok: false,
        problem: {
          code: 'tidings_unreachable',
          detail: `Tidings at ${base} did not answer: ${reason}.`,
        },
      };
    }
    let parsed: unknown = null;
    try {
      parsed = await response.json();
    } catch {
      parsed = null;
    }
    if (response.ok && isRecord(parsed)) return { ok: true, value: parsed };
    return { ok: false, problem: toolProblemOf(response.status, parsed) };
  }

  const connectionQuery = (connection: string | null): Record<string, string> =>
    connection === null ? {} : { connection };

  return {
    capability(name, input, connection) {
      return call('POST', `/tools/${encodeURIComponent(name)}`, connectionQuery(connection), input);
    },
    connections() {
      return call('GET', '/connections', {});
    },
    connectLink(connection) {
      return call('POST', '/connect-links', {}, connection === null ? {} : { connection });
    },
  };
}
