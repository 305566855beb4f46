import { Session, type SessionParams } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";

// Sessions in memory in front of the stored ones. Every background Admin call (apply routing, reconcile,
// sync) starts with `unauthenticated.admin(shop)`, which loads the offline session; through Prisma that
// costs about a millisecond of CPU each, and a burst of orders means thousands of identical loads.
// Here a session is read once and kept for `ttlMs`; concurrent loads of one id share one read; a store
// or delete in this process replaces or evicts it at once. Another process's token refresh is seen
// within `ttlMs` — the old token stays valid until it expires, so nothing breaks meanwhile.
// Code that changes the Session table directly (uninstall, redact, scope updates) calls `forgetShop`.

interface Entry {
  params: SessionParams | null; // null: known to be missing
  until: number;
}

export interface SessionCacheOptions {
  ttlMs?: number;
  /** How long "no such session" is remembered (short: an install creates one). */
  missTtlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

export class CachedSessionStorage implements SessionStorage {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Session | undefined>>();
  private readonly versions = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly missTtlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly inner: SessionStorage,
    opts: SessionCacheOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 30_000;
    this.missTtlMs = opts.missTtlMs ?? 2_000;
    this.maxEntries = opts.maxEntries ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const entry = this.entries.get(id);
    if (entry && entry.until > this.now()) return entry.params ? new Session(entry.params) : undefined;
    let pending = this.loading.get(id);
    if (!pending) {
      const version = this.versions.get(id) ?? 0;
      pending = this.inner.loadSession(id).then(
        (session) => {
          this.loading.delete(id);
          // A store or delete that happened meanwhile is newer than what this read saw.
          if ((this.versions.get(id) ?? 0) === version) this.remember(id, session ? session.toObject() : null);
          return session;
        },
        (error: unknown) => {
          this.loading.delete(id);
          throw error;
        },
      );
      this.loading.set(id, pending);
    }
    const session = await pending;
    return session ? new Session(session.toObject()) : undefined; // callers never share one instance
  }

  async storeSession(session: Session): Promise<boolean> {
    this.bump(session.id);
    this.entries.delete(session.id);
    const stored = await this.inner.storeSession(session);
    if (stored) this.remember(session.id, session.toObject());
    return stored;
  }

  async deleteSession(id: string): Promise<boolean> {
    this.forget(id);
    const deleted = await this.inner.deleteSession(id);
    this.forget(id);
    return deleted;
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    ids.forEach((id) => this.forget(id));
    const deleted = await this.inner.deleteSessions(ids);
    ids.forEach((id) => this.forget(id));
    return deleted;
  }

  findSessionsByShop(shop: string): Promise<Session[]> {
    return this.inner.findSessionsByShop(shop);
  }

  /** Evict every cached session of a shop (after the Session table was changed directly). */
  forgetShop(shop: string): void {
    for (const [id, entry] of this.entries) if (entry.params?.shop === shop || id === `offline_${shop}`) this.forget(id);
    for (const id of this.loading.keys()) if (id === `offline_${shop}` || id.startsWith(`${shop}_`)) this.bump(id);
  }

  private forget(id: string): void {
    this.bump(id);
    this.entries.delete(id);
  }

  private bump(id: string): void {
    this.versions.set(id, (this.versions.get(id) ?? 0) + 1);
  }

  private remember(id: string, params: SessionParams | null): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!); // oldest first
    this.entries.set(id, { params, until: this.now() + (params ? this.ttlMs : this.missTtlMs) });
  }
}
