/**
 * `tidings mcp`: the MCP server on standard input and output for desktop agents. Tools run
 * on a running Tidings over `/v1` (`TIDINGS_URL`, `TIDINGS_API_KEY`), so this works while
 * the server holds the embedded database, and the key's user is the only user reachable.
 * Standard output carries protocol messages only; everything else goes to standard error.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  createRuntimeClient,
  createToolRunner,
  settingsProblem,
  type ToolRunner,
} from '../agent-tools/index.ts';
import { toolCatalogue } from '../front-door/index.ts';
import { createMcpServer } from './server.ts';

export interface StdioOptions {
  url: string | undefined;
  apiKey: string | undefined;
  version: string;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Diagnostics (standard error). */
  log?: (line: string) => void;
}

/** Serves until the input ends; resolves then. */
export async function serveStdio(options: StdioOptions): Promise<void> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const settingNames = { baseUrl: 'TIDINGS_URL', apiKey: 'TIDINGS_API_KEY' };
  const problem = settingsProblem(options.url, options.apiKey, settingNames);
  if (problem) {
    log(
      'tidings mcp: set TIDINGS_URL (where Tidings answers) and TIDINGS_API_KEY (from "tidings api-keys create"); every tool will answer not_configured until then',
    );
  }
  const runner = createToolRunner({
    tools: toolCatalogue(),
    backend: createRuntimeClient({
      baseUrl: options.url ?? '',
      apiKey: options.apiKey ?? '',
      settingNames,
    }),
  });
  // Calls still running when the input ends are answered before the server closes.
  const running = new Set<Promise<unknown>>();
  const tracked: ToolRunner = {
    tools: runner.tools,
    run(name, args) {
      const call = runner.run(name, args);
      running.add(call);
      void call.finally(() => running.delete(call)).catch(() => {});
      return call;
    },
  };
  const server = createMcpServer(tracked, options.version);
  const transport = new StdioServerTransport(
    options.input as NodeJS.ReadStream | undefined,
    options.output as NodeJS.WriteStream | undefined,
  );
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  await server.connect(transport);
  const input = options.input ?? process.stdin;
  await Promise.race([closed, new Promise<void>((resolve) => input.once('end', resolve))]);
  while (running.size > 0) await Promise.allSettled([...running]);
  // The last answers are written before the transport lets go of the output.
  await new Promise<void>((resolve) => setImmediate(resolve));
  await server.close();
}
