/**
 * The composition root: builds every part from the configuration, starts them in order
 * and stops them in reverse. Nothing else wires parts together.
 */
import { hkdfSync } from 'node:crypto';
import { type AdminSocketServer, listenAdminSocket } from './admin/socket.ts';
import { runAdminCommand } from './admin/commands.ts';
import { type Config, disabledFeatures, publicUrlOf } from './config.ts';
import { type DatabaseHandle, migrateToLatest, openDatabase } from './db/index.ts';
import { createMetrics, type Metrics } from './http/metrics.ts';
import { createHttpServer } from './http/server.ts';
import { createLogger, type Logger } from './log.ts';
import { createVault, resolveMasterKeys, type Vault } from './vault/index.ts';
import { createApiKeyStore } from './api-keys/index.ts';
import { type Core, createCore } from './core.ts';
import { registerRuntimeApi } from './http/v1/index.ts';
import { createTelegramBot, registerTelegramWebhook, type TelegramBot } from './telegram/index.ts';
import { type Jobs, startJobs } from './jobs/index.ts';
import { registerConnectRoutes } from './oauth/index.ts';
import { pruneSeenTokens, registerRiscReceiver } from './risc/index.ts';

export interface Services {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  vault: Vault;
  metrics: Metrics;
  now: () => Date;
  /** Migrations this process applied when it opened the database. */
  migrated: string[];
  /** Signs the OAuth browser-binding cookie; derived from the master key. */
  cookieKey: Buffer;
}

export interface ServiceOptions {
  logger?: Logger;
  now?: () => Date;
  /** An already open database (tests); otherwise opened from the configuration. */
  database?: DatabaseHandle;
}

/** Opens the database, applies migrations and unlocks the vault. */
export async function openServices(
  config: Config,
  options: ServiceOptions = {},
): Promise<Services> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const master = await resolveMasterKeys(config.masterKey, config.dataDir);
  if (master.created) {
    logger.warn(
      { file: master.generatedFile },
      'TIDINGS_MASTER_KEY is not set: generated a development master key. Back it up, or set TIDINGS_MASTER_KEY; losing it loses every stored Google connection.',
    );
  } else if (master.generatedFile) {
    logger.info({ file: master.generatedFile }, 'using the development master key from DATA_DIR');
  }
  const database =
    options.database ??
    (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  try {
    const outcome = await migrateToLatest(database.db, database.kind);
    if (outcome.applied.length > 0) logger.info({ applied: outcome.applied }, 'database migrated');
    const vault = await createVault(database.db, master.keys);
    return {
      config,
      logger,
      database,
      vault,
      metrics: createMetrics(),
      now: options.now ?? (() => new Date()),
      migrated: outcome.applied,
      cookieKey: Buffer.from(
        hkdfSync('sha256', master.keys[0]!.key, 'tidings', 'oauth-cookie', 32),
      ),
    };
  } catch (error) {
    if (!options.database) await database.close();
    throw error;
  }
}

export interface RunningApp {
  services: Services;
  core: Core;
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

/** Starts the service: HTTP server, admin socket (embedded database), background work. */
export async function startApp(config: Config, options: StartOptions = {}): Promise<RunningApp> {
  const services = await openServices(config, options);
  const { logger, database } = services;
  let url = config.publicUrl ?? '';
  const core = createCore(services, {
    publicUrl: () => url,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const http = createHttpServer({
    logger,
    metrics: services.metrics,
    metricsToken: config.metricsToken,
    ready: () => database.ping(),
  });
  registerConnectRoutes(http, {
    oidc: () => core.oidc,
    tickets: core.tickets,
    states: core.states,
    connections: core.connections,
    publicUrl: () => url,
    scopes: config.google.scopes,
    cookieKey: services.cookieKey,
    logger,
    onConnected: () => outbox?.kick(),
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
      fetch: options.fetch ?? fetch,
      onNotify: () => outbox?.kick(),
    });
  }
  const apiKeys = createApiKeyStore(database.db, services.now);
  await registerRuntimeApi(http, { frontDoor: core.frontDoor, apiKeys });

  const telegram = config.telegram.botToken
    ? createTelegramBot({
        token: config.telegram.botToken,
        apiRoot: config.telegram.apiRoot,
        frontDoor: core.frontDoor,
        logger: logger.child({ part: 'telegram' }),
        allowedUsers: config.telegram.allowedUsers,
        now: services.now,
        mode: config.telegram.mode,
      })
    : null;
  if (telegram && config.telegram.mode === 'webhook') {
    registerTelegramWebhook(http, { bot: telegram, secret: config.telegram.webhookSecret! });
  }
  const outbox = telegram ? startOutboxLoop(telegram, logger) : null;

  let admin: AdminSocketServer | null = null;
  let jobs: Jobs | null = null;
  try {
    if (database.kind === 'pglite') {
      admin = await listenAdminSocket(config.dataDir, (request) =>
        // What this server applied at its own start is not the command's doing.
        runAdminCommand({ ...services, migrated: [], core }, request.command, request.args),
      );
    }
    await http.listen({ host: config.host, port: config.port });
    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    url = publicUrlOf(config, port);
    if (options.jobs !== false) {
      jobs = await startJobs({
        database,
        broker: core.broker,
        frontDoor: core.frontDoor,
        logger,
        now: services.now,
        cleanup: async () =>
          (await core.tickets.sweepExpired()) +
          (await core.states.sweepExpired()) +
          (await pruneSeenTokens(database.db, services.now())),
        ...(outbox ? { onNotify: outbox.kick } : {}),
      });
    }
    if (telegram) {
      if (config.telegram.mode === 'webhook') {
        await setTelegramWebhook(config, `${url}/telegram/webhook`);
      }
      await telegram.start();
      outbox?.start();
    }
  } catch (error) {
    outbox?.stop();
    await telegram?.stop().catch(() => {});
    await jobs?.stop();
    await admin?.close();
    await http.close();
    if (!options.database) await database.close();
    throw error;
  }
  logger.info({ url, database: database.kind }, 'tidings is listening');
  for (const line of disabledFeatures(config)) logger.info(line);

  let stopping: Promise<void> | null = null;
  return {
    services,
    core,
    jobs,
    telegram,
    url,
    stop() {
      stopping ??= (async () => {
        outbox?.stop();
        // No new webhook deliveries, then the updates already received are answered.
        await http.close();
        await telegram?.stop();
        await jobs?.stop();
        await admin?.close();
        if (!options.database) await database.close();
      })();
      return stopping;
    },
  };
}

const OUTBOX_INTERVAL_MS = 2_000;

/** Delivers the notification outbox on a timer and right after events; never overlaps itself. */
function startOutboxLoop(bot: TelegramBot, logger: Logger) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  const run = () => {
    if (running) {
      again = true;
      return;
    }
    running = bot
      .deliverOutbox()
      .then(
        () => {},
        (error: Error) => logger.warn({ err: error.message }, 'outbox delivery failed'),
      )
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          run();
        }
      });
  };
  return {
    kick: run,
    start() {
      timer = setInterval(run, OUTBOX_INTERVAL_MS);
      timer.unref();
      run();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

/** Points Telegram at our webhook, with the secret Telegram will send back on every delivery. */
async function setTelegramWebhook(config: Config, webhookUrl: string): Promise<void> {
  const response = await fetch(
    `${config.telegram.apiRoot}/bot${config.telegram.botToken}/setWebhook`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        url: webhookUrl,
        secret_token: config.telegram.webhookSecret,
        allowed_updates: ['message', 'callback_query'],
      }),
    },
  );
  const body = (await response.json().catch(() => ({}))) as { ok?: boolean; description?: string };
  if (!body.ok)
    throw new Error(`Telegram refused the webhook: ${body.description ?? response.status}`);
}
