/**
 * Adapts one embedded PGlite instance to the `pg.Pool` shape Kysely's PostgresDialect
 * expects. PGlite is a single connection, so a checkout is exclusive: callers queue until
 * the holder releases it (a transaction holds it from `begin` to `commit`). `stats` says
 * whether the one connection is held and how many callers wait for it.
 */
import type { PGlite } from '@electric-sql/pglite';

interface QueryResultLike {
  command: string;
  rowCount: number;
  rows: unknown[];
}

export interface PgliteClient {
  query(sql: string, parameters?: readonly unknown[]): Promise<QueryResultLike>;
  release(): void;
}

/** The pool's state as the metrics report it. */
export interface PoolStats {
  /** Connections open. */
  total: number;
  /** Open and not checked out. */
  idle: number;
  /** Callers waiting for a connection. */
  waiting: number;
}

export interface PglitePool {
  connect(): Promise<PgliteClient>;
  stats(): PoolStats;
  end(): Promise<void>;
  /** Runs one statement (or, without parameters, a multi-statement script) on a short checkout. */
  run(sql: string, parameters?: readonly unknown[]): Promise<{ rows: unknown[] }>;
}

function commandOf(sql: string): string {
  const match = /^\s*(?:--[^\n]*\n\s*)*(\w+)/.exec(sql);
  return (match?.[1] ?? '').toUpperCase();
}

export function createPglitePool(database: PGlite): PglitePool {
  let tail: Promise<void> = Promise.resolve();
  let closed = false;
  /** Checkouts asked for and not yet released: the holder, then those waiting. */
  let outstanding = 0;

  function checkout(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    outstanding += 1;
    const ready = tail.then(() => release);
    tail = tail.then(() => held);
    return ready;
  }

  async function execute(sql: string, parameters: readonly unknown[] = []) {
    if (parameters.length === 0 && commandOf(sql) !== 'SELECT') {
      const results = await database.exec(sql);
      const last = results.at(-1);
      return {
        command: commandOf(sql),
        rowCount: last?.affectedRows ?? 0,
        rows: (last?.rows ?? []) as unknown[],
      };
    }
    const result = await database.query(sql, [...parameters]);
    return {
      command: commandOf(sql),
      rowCount: result.affectedRows ?? result.rows.length,
      rows: result.rows as unknown[],
    };
  }

  return {
    async connect() {
      if (closed) throw new Error('database is closed');
      const release = await checkout();
      let released = false;
      return {
        query: (sql, parameters) => execute(sql, parameters),
        release() {
          if (released) return;
          released = true;
          outstanding -= 1;
          release();
        },
      };
    },
    stats() {
      const total = closed ? 0 : 1;
      return {
        total,
        idle: outstanding === 0 ? total : 0,
        waiting: Math.max(0, outstanding - 1),
      };
    },
    async run(sql, parameters) {
      const client = await this.connect();
      try {
        return await client.query(sql, parameters);
      } finally {
        client.release();
      }
    },
    async end() {
      if (closed) return;
      closed = true;
      await tail;
      await database.close();
    },
  };
}
