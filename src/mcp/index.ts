/**
 * MCP: the agent tools as a Model Context Protocol server, over streamable HTTP at `/mcp`
 * (registered by `http/`) and over stdio (`tidings mcp`). Imports `agent-tools/` and the
 * front door's tool catalogue.
 */
export { createMcpServer, PROBLEM_META_KEY } from './server.ts';
export { serveStdio, type StdioOptions } from './stdio.ts';
