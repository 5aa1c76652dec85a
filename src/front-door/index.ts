/**
 * The front door: the contract every front door (Telegram bot, `/v1`, MCP, the OpenClaw
 * plugin) is given, and its one implementation over the domain. Imports `users/`,
 * `connections/`, `capabilities/`, `google/`, `oauth/` (connect tickets) and
 * `agent-tools/` (tool definitions, the backend tools run on in this process); front doors
 * import the contract's types, the tool catalogue and that backend from here.
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
export {
  type FrontDoorToolBackendOptions,
  frontDoorToolBackend,
  toolOutcome,
  toolProblemOfError,
} from './tool-backend.ts';
export { ACCOUNT_TOOLS, capabilityTool, toolCatalogue } from './tool-catalogue.ts';
export {
  ConnectionListSchema,
  ConnectionSchema,
  connectionJson,
  ConnectLinkRequestSchema,
  ConnectLinkSchema,
  connectLinkJson,
} from './views.ts';
