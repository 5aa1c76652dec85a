/**
 * The composition root: builds every part from the configuration, starts them in order
 * and stops them, once, in the order that loses no work. Nothing else wires parts
 * together, and no module imports this one but the entry points (`cli.ts`, the demo).
 */
import { type AdminSocketServer, listenAdminSocket, runAdminCommand } from './admin/index.ts';
import { createApiKeyStore } from './api-keys/index.ts';
import { createAssistant } from './assistant/index.ts';
import { type Config, disabledFeatures, publicUrlOf } from './config.ts';
import {
  createHttpServer,
  type HttpServer,
  registerMcpEndpoint,
  registerRuntimeApi,
} from './http/index.ts';
import { watchScan } from './capabilities/index.ts';
import { createWatchWork, createZoneResolver, type Jobs, startJobs } from './jobs/index.ts';
import { registerConnectRoutes } from './oauth/index.ts';
import { buildParts, type Parts } from './parts.ts';
import { pruneSeenTokens, registerRiscReceiver } from './risc/index.ts';
import { openServices, type ServiceOptions, type Services } from './services.ts';
import { VERSION } from './version.ts';
import {
  createTelegramBot,
  createTelegramStore,
  registerTelegramWebhook,
  type TelegramBot,
  WEBHOOK_PATH,
} from './telegram/index.ts';

export { PREPARING_DATABASE, type ServiceOptions, type Services } from './services.ts';

export interface RunningApp {
  services: Services;
  parts: Parts;
  jobs: Jobs | null;
  telegram: TelegramBot | null;
  url: string;
  stop(): Promise<void>;
}

export interface StartOptions extends ServiceOptions {
  /** Run background jobs (pg-boss); on by default. */
  jobs?: boolean;
  fetch?: typeof fetch;
}

/** What is running so far; each part is null until it has started. */
interface Running {
  http: HttpServer;
  telegram: TelegramBot | null;
  jobs: Jobs | null;
  admin: AdminSocketServer | null;
}

/** Starts the service: HTTP server, admin socket (embedded database), background work. */
export async function startApp(config: Config, options: StartOptions = {}): Promise<RunningApp> {
  const services = await openServices(config, options);
  const { logger, database } = services;
  let url = config.publicUrl ?? '';
  const parts = buildParts(services, {
    publicUrl: () => url,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const telegram = buildTelegramBot(config, services, parts);
  const running: Running = {
    http: await buildHttpServer(config, services, parts, telegram, {
      publicUrl: () => url,
      fetch: options.fetch ?? fetch,
    }),
    telegram,
    jobs: null,
    admin: null,
  };
  const shutdown = async () => {
    // No new webhook deliveries, then the updates already received are answered.
    await running.http.close();
    await running.telegram?.stop();
    await running.jobs?.stop();
    await running.admin?.close();
    if (!options.database) await database.close();
  };

  try {
    if (database.kind === 'pglite') {
      running.admin = await listenAdminSocket(config.dataDir, (request) =>
        // What this server applied at its own start is not the command's doing.
        runAdminCommand({ ...services, migrated: [], parts }, request.command, request.args),
      );
    }
    url = await listen(running.http, config);
    // Requests are answered from here on (the database is open and migrated): say so now,
    // while background work and the bot start behind it.
    logger.info({ url, database: database.kind }, 'tidings is listening');
    for (const line of disabledFeatures(config)) logger.info(line);
    if (config.llm && telegram) {
      const host = new URL(config.llm.baseUrl).host;
      logger.info({ model: config.llm.model, host }, 'model answers are on');
    }
    if (options.jobs !== false) running.jobs = await startBackgroundWork(services, parts, telegram);
    if (telegram) {
      if (config.telegram.mode === 'webhook') {
        await telegram.setWebhook(`${url}${WEBHOOK_PATH}`, config.telegram.webhookSecret!);
      }
      await telegram.start();
    }
  } catch (error) {
    await shutdown().catch((failure: Error) =>
      logger.warn({ err: failure.message }, 'stopping after a failed start failed too'),
    );
    throw error;
  }

  let stopping: Promise<void> | null = null;
  return {
    services,
    parts,
    jobs: running.jobs,
    telegram,
    url,
    stop() {
      stopping ??= shutdown();
      return stopping;
    },
  };
}

function buildTelegramBot(config: Config, services: Services, parts: Parts): TelegramBot | null {
  if (!config.telegram.botToken) return null;
  return createTelegramBot({
    token: config.telegram.botToken,
    apiRoot: config.telegram.apiRoot,
    frontDoor: parts.frontDoor,
    store: createTelegramStore(services.database.db, services.now),
    outbox: parts.outbox,
    logger: services.logger.child({ part: 'telegram' }),
    allowedUsers: config.telegram.allowedUsers,
    now: services.now,
    mode: config.telegram.mode,
    metrics: services.metrics,
    // Questions the intent router cannot place go to the chat model, when one is set up.
    assistant: config.llm
      ? createAssistant({
          settings: config.llm,
          frontDoor: parts.frontDoor,
          logger: services.logger.child({ part: 'assistant' }),
          now: services.now,
        })
      : null,
  });
}

/** The HTTP server with every route: connect, Cross-Account Protection, `/v1`, the webhook. */
async function buildHttpServer(
  config: Config,
  services: Services,
  parts: Parts,
  telegram: TelegramBot | null,
  options: { publicUrl: () => string; fetch: typeof fetch },
): Promise<HttpServer> {
  const { logger, database } = services;
  const http = createHttpServer({
    logger,
    metrics: services.metrics,
    metricsToken: config.metricsToken,
    ready: () => database.ping(),
  });
  registerConnectRoutes(http, {
    oidc: () => parts.oidc,
    tickets: parts.tickets,
    states: parts.states,
    connections: parts.connections,
    users: parts.users,
    telegramBotToken: config.telegram.botToken,
    publicUrl: options.publicUrl,
    scopes: config.google.scopes,
    cookieKey: services.cookieKey,
    logger,
    now: services.now,
    metrics: services.metrics,
    onConnected: () => telegram?.kickOutbox(),
  });
  if (config.google.clientId) {
    await registerRiscReceiver(http, {
      db: database.db,
      vault: services.vault,
      now: services.now,
      logger: logger.child({ part: 'risc' }),
      metrics: services.metrics,
      clientId: config.google.clientId,
      issuer: config.google.riscIssuer,
      fetch: options.fetch,
      onNotify: () => telegram?.kickOutbox(),
    });
  }
  const apiKeys = createApiKeyStore(database.db, services.now);
  await registerRuntimeApi(http, { frontDoor: parts.frontDoor, apiKeys });
  await registerMcpEndpoint(http, { frontDoor: parts.frontDoor, apiKeys, version: VERSION });
  if (telegram && config.telegram.mode === 'webhook') {
    registerTelegramWebhook(http, { bot: telegram, secret: config.telegram.webhookSecret! });
  }
  return http;
}

/** Listens on the configured address; answers the URL people reach it by. */
async function listen(http: HttpServer, config: Config): Promise<string> {
  await http.listen({ host: config.host, port: config.port });
  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return publicUrlOf(config, port);
}

function startBackgroundWork(
  services: Services,
  parts: Parts,
  telegram: TelegramBot | null,
): Promise<Jobs> {
  const { database, now } = services;
  const zones = createZoneResolver({ calendarZone: parts.calendarZone, now });
  const watchWork = createWatchWork({
    watches: parts.watches,
    users: parts.users,
    zones,
    logger: services.logger.child({ part: 'watch' }),
    now,
    scan: (start) =>
      parts.frontDoor.invoke(
        start.userId,
        watchScan,
        { startHistoryId: start.historyId, rules: start.rules },
        { connection: start.connectionId },
      ),
    canDeliver: (user) => telegram !== null && user.telegramUserId !== null,
    ...(telegram ? { onNotify: () => telegram.kickOutbox() } : {}),
  });
  return startJobs({
    watch: { work: watchWork, intervalMs: services.config.watch.intervalMs },
    database,
    broker: parts.broker,
    users: parts.users,
    outbox: parts.outbox,
    calendarZone: parts.calendarZone,
    logger: services.logger,
    now,
    metrics: services.metrics,
    cleanup: async () =>
      (await parts.tickets.sweepExpired()) +
      (await parts.states.sweepExpired()) +
      (await pruneSeenTokens(database.db, now())),
    ...(telegram ? { onNotify: () => telegram.kickOutbox() } : {}),
  });
}
