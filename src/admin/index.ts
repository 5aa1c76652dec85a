/**
 * Administration: the CLI's database commands (users, connections, keys, API keys,
 * notifications, migrations) and the local admin socket a running server answers them
 * on. Imports `services.ts` and `parts.ts` (what a command runs against), never `app.ts`.
 */
export { type AdminContext, isAdminCommand, runAdminCommand } from './commands.ts';
export { mcpConfig, openclawConfig } from './agent-config.ts';
export { type AdminSocketServer, listenAdminSocket, sendAdminCommand } from './socket.ts';
