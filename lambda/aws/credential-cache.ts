import { LRUCache } from 'lru-cache';

/**
 * A small cache for temporary AWS credentials, with no AWS imports: bounded (least recently
 * used entries go first, {@link MAX_CREDENTIAL_ENTRIES}), entries are refreshed a
 * margin before they expire, concurrent callers of one key share one in-flight load, a failed
 * load is never cached, and a failed refresh falls back to the still-valid credentials.
 */

/** Credentials as the signer needs them. `expiration` is absent for long-term keys. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Cache counters for the request log: `misses` are loads started (STS calls), `hits` the rest. */
export interface CredentialCacheStats {
  hits: number;
  misses: number;
}

/** Credential sets kept per container: the keys come from callers (role, external id, static keys). */
export const MAX_CREDENTIAL_ENTRIES = 500;

export interface CredentialCacheOptions {
  /** Least recently used entries are dropped past this many keys. @default MAX_CREDENTIAL_ENTRIES */
  maxEntries?: number;
  /** Refresh at most this long before expiry. @default 300000 (5 minutes) */
  refreshMarginMs?: number;
  /** …and at most this fraction of the credentials' lifetime before it (short sessions). @default 0.25 */
  refreshFraction?: number;
  /** After a failed refresh, keep serving the old credentials while they have this long left. @default 60000 */
  graceMs?: number;
}

interface Entry {
  credentials: AwsCredentials;
  /** Epoch ms from which a call reloads. Infinity for credentials that do not expire. */
  refreshAtMs: number;
  /** Epoch ms when the credentials stop working. */
  expiresAtMs: number;
}

export class CredentialCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly inFlight = new Map<string, Promise<AwsCredentials>>();
  private hits = 0;
  private misses = 0;
  private readonly refreshMarginMs: number;
  private readonly refreshFraction: number;
  private readonly graceMs: number;

  constructor(options: CredentialCacheOptions = {}) {
    this.entries = new LRUCache<string, Entry>({ max: options.maxEntries ?? MAX_CREDENTIAL_ENTRIES });
    this.refreshMarginMs = options.refreshMarginMs ?? 5 * 60_000;
    this.refreshFraction = options.refreshFraction ?? 0.25;
    this.graceMs = options.graceMs ?? 60_000;
  }

  /**
   * The cached credentials for `key`, or those `load` returns when there are none or they are
   * due for refresh. Callers that arrive while a load is running wait for that same load.
   */
  async get(key: string, load: () => Promise<AwsCredentials>): Promise<AwsCredentials> {
    const now = Date.now();
    const entry = this.entries.get(key);
    if (entry && now < entry.refreshAtMs) {
      this.hits++;
      return entry.credentials;
    }
    const running = this.inFlight.get(key);
    if (running) {
      this.hits++;
      return running;
    }
    this.misses++;
    const loading = this.load(key, load, entry);
    this.inFlight.set(key, loading);
    try {
      return await loading;
    } finally {
      this.inFlight.delete(key);
    }
  }

  /**
   * Drops `key`'s entry — only if it still holds `stale` when given, so that a caller holding
   * old credentials does not throw away a refresh another caller already made.
   */
  invalidate(key: string, stale?: AwsCredentials): void {
    const entry = this.entries.get(key);
    if (entry && (stale === undefined || entry.credentials.accessKeyId === stale.accessKeyId)) {
      this.entries.delete(key);
    }
  }

  /** Entries held now (never more than the bound). */
  get size(): number {
    return this.entries.size;
  }

  stats(): CredentialCacheStats {
    return { hits: this.hits, misses: this.misses };
  }

  /** Forgets every entry and resets the counters. */
  clear(): void {
    this.entries.clear();
    this.inFlight.clear();
    this.hits = 0;
    this.misses = 0;
  }

  private async load(key: string, load: () => Promise<AwsCredentials>, previous: Entry | undefined): Promise<AwsCredentials> {
    const startedAt = Date.now();
    let credentials: AwsCredentials;
    try {
      credentials = await load();
    } catch (error) {
      if (previous && Date.now() < previous.expiresAtMs - this.graceMs) return previous.credentials;
      throw error;
    }
    this.store(key, credentials, startedAt);
    return credentials;
  }

  private store(key: string, credentials: AwsCredentials, fetchedAtMs: number): void {
    const expiresAtMs = credentials.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
    const lifetime = expiresAtMs - fetchedAtMs;
    const margin = Number.isFinite(lifetime) ? Math.min(this.refreshMarginMs, Math.max(0, lifetime) * this.refreshFraction) : 0;
    this.entries.set(key, { credentials, refreshAtMs: expiresAtMs - margin, expiresAtMs });
  }
}
