/**
 * The services every process of Tidings opens first: configuration, logger, the database
 * (migrated), the unlocked vault, metrics and the clock. The server, the demo and the CLI's
 * database commands all start here; nothing in this file knows a front door.
 */
import { hkdfSync } from 'node:crypto';
import type { Config } from './config.ts';
import { clearAllClaims, clearAllLeases } from './connections/index.ts';
import { releaseAllChatLeases } from './telegram/index.ts';
import { type DatabaseHandle, migrateToLatest, openDatabase } from './db/index.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { createLogger, type Logger } from './log.ts';
import { createVault, resolveMasterKeys, type Vault } from './vault/index.ts';

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
  /**
   * Said when a fresh embedded database must be prepared from scratch (the first start on
   * this machine); a log line by default.
   */
  onPreparingDatabase?: () => void;
}

/** What a first start says while it prepares the embedded database. */
export const PREPARING_DATABASE = 'Preparing the embedded database (first start, about 5 s)…';

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
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      ...(config.cacheDir ? { cacheDir: config.cacheDir } : {}),
      onPreparing: options.onPreparingDatabase ?? (() => logger.info(PREPARING_DATABASE)),
    }));
  try {
    const outcome = await migrateToLatest(database.db, database.kind);
    if (outcome.applied.length > 0) logger.info({ applied: outcome.applied }, 'database migrated');
    // Only this process has the embedded database open: a refresh lease, an outbox claim or
    // a chat lease found now was left by a process that is gone, and would only hold work
    // back.
    if (database.kind === 'pglite') {
      const leases = await clearAllLeases(database.db);
      const claims = await clearAllClaims(database.db);
      const chats = await releaseAllChatLeases(database.db);
      if (leases + claims + chats > 0)
        logger.info({ leases, claims, chats }, 'released what the last run held');
    }
    const vault = await createVault(database.db, master.keys);
    const now = options.now ?? (() => new Date());
    return {
      config,
      logger,
      database,
      vault,
      metrics: createMetrics({ database, now }),
      now,
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
