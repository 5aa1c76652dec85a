/**
 * The front door: the contract every front door (Telegram bot, `/v1`, MCP, the OpenClaw
 * plugin) is given, and its one implementation over the domain. Imports `users/`,
 * `connections/`, `capabilities/`, `google/` and `oauth/` (connect tickets); front doors
 * import only the contract's types from here.
 */
export { createFrontDoor, type FrontDoorDeps } from './build.ts';
export type {
  ConnectLink,
  FrontDoor,
  FrontDoorConnections,
  FrontDoorUsers,
  Invoke,
  InvokeOptions,
} from './contract.ts';
export { ACCOUNT_TOOLS, capabilityTool, toolCatalogue } from './tool-catalogue.ts';
export {
  ConnectionListSchema,
  ConnectionSchema,
  connectionJson,
  ConnectLinkRequestSchema,
  ConnectLinkSchema,
  connectLinkJson,
} from './views.ts';
