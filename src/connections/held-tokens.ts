/**
 * Decrypted access tokens the broker holds in memory, so a warm connection does not open
 * its sealed bundle on every request. Only the access token and its expiry are held (never
 * the refresh token), never written anywhere, and only for the row they were opened from:
 * an entry names the row's ciphertext and token generation, and the broker serves it only
 * when the row it has just read still has both. An entry is dropped when the token comes
 * within a minute of its expiry, on a refresh, on a status change and on disconnect
 * (`dropHeldToken`, for every broker of the process). Imports nothing.
 */

export interface HeldToken {
  /** The `token_ciphertext` the token was opened from. */
  ciphertext: string;
  /** The row's `token_version` when it was opened. */
  tokenVersion: number;
  accessToken: string;
  /** Epoch milliseconds. */
  accessExpiresAt: number;
}

/** At most this many tokens per broker; all are dropped when it is full. */
const MAX_HELD = 10_000;

const holders = new Set<WeakRef<Map<string, HeldToken>>>();

export interface HeldTokens {
  /** The token held for this exact row state, or null. */
  get(connectionId: string, ciphertext: string, tokenVersion: number): HeldToken | null;
  hold(connectionId: string, token: HeldToken): void;
  drop(connectionId: string): void;
}

export function createHeldTokens(): HeldTokens {
  const held = new Map<string, HeldToken>();
  holders.add(new WeakRef(held));
  return {
    get(connectionId, ciphertext, tokenVersion) {
      const token = held.get(connectionId);
      if (!token) return null;
      if (token.ciphertext === ciphertext && token.tokenVersion === tokenVersion) return token;
      held.delete(connectionId);
      return null;
    },
    hold(connectionId, token) {
      if (held.size >= MAX_HELD) held.clear();
      held.set(connectionId, token);
    },
    drop(connectionId) {
      held.delete(connectionId);
    },
  };
}

/** Drops the token every broker of this process holds for a connection. */
export function dropHeldToken(connectionId: string): void {
  for (const ref of holders) {
    const held = ref.deref();
    if (held) held.delete(connectionId);
    else holders.delete(ref);
  }
}

/** Whether any broker of this process holds a token for the connection. */
export function holdsToken(connectionId: string): boolean {
  for (const ref of holders) if (ref.deref()?.has(connectionId)) return true;
  return false;
}
