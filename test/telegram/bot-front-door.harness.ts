/**
 * A FrontDoor for the bot's conversation tests, with the Telegram store and the outbox the
 * bot is also given: users, connections, seen update ids, button state, chat context,
 * connect-button notes and the outbox live in memory, while `invoke` runs the real
 * capabilities against the real Google sandbox with a real access token. Tests can make
 * the next run fail with any error code, make the next chat-context write fail, and read
 * what the bot asked of it.
 */
import { runCapability } from '../../src/capabilities/index.ts';
import type { WatchBook, WatchRule } from '../../src/capabilities/index.ts';
import { grantTokens } from '../capabilities/sandbox-session.harness.ts';
import type { Grant } from '../capabilities/sandbox-session.harness.ts';
import { TidingsError } from '../../src/errors.ts';
import type {
  ConnectionView,
  NewNotification,
  Outbox,
  OutboxItem,
} from '../../src/connections/index.ts';
import type { FrontDoor } from '../../src/front-door/index.ts';
import type { TelegramStore } from '../../src/telegram/index.ts';
import type { ConnectButtonsMessage } from '../../src/telegram/store/index.ts';
import type { UserRecord } from '../../src/users/index.ts';
import { createGoogleApi } from '../../src/google/index.ts';

export interface OutboxRecord extends OutboxItem {
  deliveredAt: Date | null;
  errors: string[];
}

export interface BotTestFrontDoor extends FrontDoor {
  /** What the bot keeps, in memory: passed to the bot as its store. */
  telegram: TelegramStore;
  /** The outbox the bot delivers, in memory. */
  outbox: Omit<Outbox, 'list'>;
  users_: Map<string, UserRecord>;
  connections_: ConnectionView[];
  outbox_: OutboxRecord[];
  deleted: string[];
  invoked: string[];
  /** The `seenBefore` of every prune the bot asked for. */
  pruned: Date[];
  /** Chat context kept, by user id, as written (with its expiry). */
  contexts_: Map<string, { chatId: number; value: unknown; expiresAt: number }>;
  /** Messages noted as carrying connect buttons, by `chatId:messageId`. */
  connectButtons_: Map<string, { userId: string; message: ConnectButtonsMessage }>;
  /** Watch rules, by user id, in memory (as `watch.*` keep them). */
  watches_: Map<string, WatchRule[]>;
  /** How many watch rules one user may have. */
  watchLimit: number;
  /** The next chat-context write fails (a database blip). */
  contextWriteFailsNext(): void;
  /** The next capability run throws this error. */
  failNext(error: Error): void;
  /** The next disconnect deletes locally but Google does not confirm the revocation. */
  revokeFailsNext(): void;
  /** A user with a Telegram id and a working Google connection to the sandbox account. */
  signUp(telegramUserId: number, name: string, email?: string): Promise<UserRecord>;
}

export const CONNECT_URL = 'https://tidings.example/oauth/google/start';

export function createBotFrontDoor(deps: {
  apiRoot: string;
  now: () => Date;
  grant: Grant;
}): BotTestFrontDoor {
  const users = new Map<string, UserRecord>();
  const connections: ConnectionView[] = [];
  const outbox: OutboxRecord[] = [];
  const seen = new Set<number>();
  const buttons = new Map<string, { userId: string; value: unknown; expiresAt: number }>();
  const contexts = new Map<string, { chatId: number; value: unknown; expiresAt: number }>();
  const connectButtons = new Map<string, { userId: string; message: ConnectButtonsMessage }>();
  let contextWriteFails = false;
  const failures: Error[] = [];
  let revokeFails = false;
  const tokens = grantTokens(deps.apiRoot, deps.grant);
  let ids = 0;

  const user = (id: string): UserRecord => {
    const found = users.get(id);
    if (!found) throw new TidingsError('not_found', 'no such user');
    return found;
  };
  const resolve = (userId: string, selector?: string | null): ConnectionView => {
    const own = connections.filter((c) => c.userId === userId && c.status !== 'revoked');
    if (selector) {
      const match = own.find((c) => c.id === selector || c.email === selector.toLowerCase());
      if (!match) throw new TidingsError('not_found', 'no such connection');
      return match;
    }
    const chosen = own.find((c) => c.isDefault) ?? own[0];
    if (!chosen) throw new TidingsError('not_connected', 'connect a Google account first');
    return chosen;
  };

  const watches = new Map<string, WatchRule[]>();
  const watchBook = (userId: string, connection: ConnectionView): WatchBook => ({
    get limit() {
      return door.watchLimit;
    },
    async add(query) {
      const own = watches.get(userId) ?? [];
      const same = own.find((r) => r.connectionId === connection.id && r.query === query);
      if (same) return { rule: same, created: false };
      if (own.length >= door.watchLimit) {
        throw new TidingsError('invalid_request', 'too many watches', { field: 'query' });
      }
      const rule: WatchRule = {
        id: `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
        query,
        connectionId: connection.id,
        account: connection.email,
        createdAt: deps.now().toISOString(),
        paused: connection.status === 'needs_reauth' ? 'reauth_required' : null,
      };
      watches.set(userId, [...own, rule]);
      return { rule, created: true };
    },
    list: async () => [...(watches.get(userId) ?? [])],
    async remove(id) {
      const own = watches.get(userId) ?? [];
      const found = own.find((r) => r.id === id) ?? null;
      watches.set(
        userId,
        own.filter((r) => r.id !== id),
      );
      return found;
    },
  });

  const door: BotTestFrontDoor = {
    watches_: watches,
    watchLimit: 20,
    users_: users,
    connections_: connections,
    outbox_: outbox,
    deleted: [],
    invoked: [],
    pruned: [],
    contexts_: contexts,
    connectButtons_: connectButtons,
    contextWriteFailsNext: () => {
      contextWriteFails = true;
    },
    failNext: (error) => {
      failures.push(error);
    },
    revokeFailsNext: () => {
      revokeFails = true;
    },
    async signUp(telegramUserId, name, email = 'alex@example.com') {
      const record = await door.users.ensureTelegramUser(String(telegramUserId), name);
      connections.push({
        id: `conn-${++ids}`,
        userId: record.id,
        provider: 'google',
        email,
        displayName: name,
        grantedScopes: deps.grant.scopes,
        capabilities: ['gmail', 'calendar'],
        status: 'active',
        statusReason: null,
        isDefault: true,
        accessExpiresAt: null,
        lastRefreshedAt: null,
        lastUsedAt: null,
        createdAt: deps.now(),
      });
      return record;
    },
    users: {
      async create(input) {
        const id = `user-${++ids}`;
        const record: UserRecord = {
          id,
          telegramUserId: input.telegramUserId ?? null,
          displayName: input.displayName,
          timeZone: null,
          locale: null,
          settings: {},
          createdAt: deps.now(),
        };
        users.set(id, record);
        return record;
      },
      get: async (id) => users.get(id) ?? null,
      byTelegramId: async (tid) =>
        [...users.values()].find((u) => u.telegramUserId === tid) ?? null,
      async ensureTelegramUser(tid, name) {
        return (
          (await door.users.byTelegramId(tid)) ??
          door.users.create({ displayName: name, telegramUserId: tid })
        );
      },
      async update(id, patch) {
        const updated = { ...user(id), ...patch } as UserRecord;
        users.set(id, updated);
        return updated;
      },
      async deleteEverything(id) {
        door.deleted.push(id);
        users.delete(id);
        contexts.delete(id);
        watches.delete(id);
        for (const c of connections.filter((c) => c.userId === id)) c.status = 'revoked';
      },
    },
    connections: {
      list: async (userId) => connections.filter((c) => c.userId === userId),
      resolve: async (userId, selector) => resolve(userId, selector),
      async setDefault(userId, connectionId) {
        const chosen = resolve(userId, connectionId);
        for (const c of connections) if (c.userId === userId) c.isDefault = c === chosen;
        return chosen;
      },
      async disconnect(userId, connectionId) {
        const chosen = resolve(userId, connectionId);
        chosen.status = 'revoked';
        const revokedAtGoogle = !revokeFails;
        revokeFails = false;
        return { connection: chosen, revokedAtGoogle };
      },
    },
    async connectLink(userId, options) {
      const ticket = options?.connectionId ? `${userId}-${options.connectionId}` : userId;
      return { url: `${CONNECT_URL}?ticket=${ticket}`, expiresAt: deps.now() };
    },
    async invoke(userId, capability, input) {
      door.invoked.push(capability.name);
      const failure = failures.shift();
      if (failure) throw failure;
      const connection = resolve(userId);
      const google = createGoogleApi({
        apiRoot: deps.apiRoot,
        tokens,
        connectionId: connection.id,
        sleep: async () => {},
      });
      return runCapability(
        capability,
        {
          google,
          timeZone: user(userId).timeZone,
          locale: 'en-GB',
          now: deps.now,
          grantedScopes: connection.grantedScopes,
          watches: watchBook(userId, connection),
        },
        input,
      );
    },
    telegram: {
      async firstSeen(updateId) {
        if (seen.has(updateId)) return false;
        seen.add(updateId);
        return true;
      },
      async keepButtonState(userId, value, ttlMs) {
        const key = `k${String(++ids).padStart(9, '0')}`;
        buttons.set(key, { userId, value, expiresAt: deps.now().getTime() + ttlMs });
        return key;
      },
      async buttonState(userId, key) {
        const kept = buttons.get(key);
        return kept && kept.userId === userId && kept.expiresAt > deps.now().getTime()
          ? kept.value
          : null;
      },
      async chatContext(userId) {
        const kept = contexts.get(userId);
        return kept && kept.expiresAt > deps.now().getTime() ? kept.value : null;
      },
      async keepChatContext(userId, chatId, value, ttlMs) {
        if (contextWriteFails) {
          contextWriteFails = false;
          throw new TidingsError('database_unavailable', 'the database did not answer');
        }
        // Kept as the database would: a copy, not the object the bot goes on changing.
        const copy: unknown = JSON.parse(JSON.stringify(value));
        contexts.set(userId, { chatId, value: copy, expiresAt: deps.now().getTime() + ttlMs });
      },
      async keepConnectButtons(userId, message) {
        connectButtons.set(`${message.chatId}:${message.messageId}`, { userId, message });
      },
      async forgetConnectButtons(chatId, messageId) {
        connectButtons.delete(`${chatId}:${messageId}`);
      },
      async takeConnectButtons(userId) {
        const taken = [...connectButtons.entries()].filter(([, kept]) => kept.userId === userId);
        for (const [key] of taken) connectButtons.delete(key);
        return taken.map(([, kept]) => kept.message);
      },
      async prune(seenBefore) {
        door.pruned.push(seenBefore);
        return 0;
      },
    },
    outbox: {
      pending: async (limit) =>
        outbox.filter((o) => o.deliveredAt === null && o.attempts < 5).slice(0, limit),
      claim: async (limit) =>
        outbox.filter((o) => o.deliveredAt === null && o.attempts < 5).slice(0, limit),
      async delivered(id) {
        const item = outbox.find((o) => o.id === id);
        if (item) item.deliveredAt = deps.now();
      },
      async failed(id, error) {
        const item = outbox.find((o) => o.id === id);
        if (item) {
          item.attempts += 1;
          item.errors.push(error);
        }
      },
      async enqueue(item: NewNotification) {
        outbox.push({
          id: `n-${++ids}`,
          userId: item.userId,
          connectionId:
            item.connectionId ??
            (typeof item.payload.connectionId === 'string' ? item.payload.connectionId : null),
          kind: item.kind,
          payload: item.payload,
          createdAt: deps.now(),
          attempts: 0,
          deliveredAt: null,
          errors: [],
        });
      },
    },
  };
  return door;
}
