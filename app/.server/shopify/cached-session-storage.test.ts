import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { describe, expect, it } from "vitest";
import { CachedSessionStorage } from "./cached-session-storage";

/** A stored-session backend that counts reads and can hold a read open. */
class CountingStorage implements SessionStorage {
  readonly rows = new Map<string, Record<string, unknown>>();
  loads = 0;
  gate: Promise<void> | null = null;
  async storeSession(session: Session) {
    this.rows.set(session.id, session.toObject() as unknown as Record<string, unknown>);
    return true;
  }
  async loadSession(id: string) {
    this.loads += 1;
    const row = this.rows.get(id); // read now, answer after the gate: a read that races a write
    if (this.gate) await this.gate;
    return row ? new Session(row as unknown as ConstructorParameters<typeof Session>[0]) : undefined;
  }
  async deleteSession(id: string) {
    return this.rows.delete(id);
  }
  async deleteSessions(ids: string[]) {
    ids.forEach((id) => this.rows.delete(id));
    return true;
  }
  async findSessionsByShop(shop: string) {
    return [...this.rows.values()].filter((r) => r.shop === shop).map((r) => new Session(r as unknown as ConstructorParameters<typeof Session>[0]));
  }
}

const offline = (shop: string, token: string) => new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: token, scope: "read_orders" });

function setup() {
  let now = 1_000_000;
  const inner = new CountingStorage();
  const cache = new CachedSessionStorage(inner, { ttlMs: 30_000, missTtlMs: 2_000, now: () => now });
  return { inner, cache, advance: (ms: number) => (now += ms) };
}

describe("CachedSessionStorage", () => {
  it("reads a session once per TTL, and concurrent loads share that read", async () => {
    const { inner, cache, advance } = setup();
    await inner.storeSession(offline("a.myshopify.com", "t1"));
    const sessions = await Promise.all(Array.from({ length: 50 }, () => cache.loadSession("offline_a.myshopify.com")));
    expect(sessions.every((s) => s?.accessToken === "t1")).toBe(true);
    expect(new Set(sessions).size).toBe(50); // each caller gets its own instance
    await cache.loadSession("offline_a.myshopify.com");
    expect(inner.loads).toBe(1);
    advance(30_001);
    await cache.loadSession("offline_a.myshopify.com");
    expect(inner.loads).toBe(2);
  });

  it("serves a stored (refreshed) session at once, and forgets deleted ones at once", async () => {
    const { inner, cache } = setup();
    await inner.storeSession(offline("a.myshopify.com", "old"));
    await cache.loadSession("offline_a.myshopify.com");
    await cache.storeSession(offline("a.myshopify.com", "new"));
    expect((await cache.loadSession("offline_a.myshopify.com"))?.accessToken).toBe("new");
    await cache.deleteSession("offline_a.myshopify.com");
    expect(await cache.loadSession("offline_a.myshopify.com")).toBeUndefined();
  });

  it("remembers a missing session only briefly (an install creates it)", async () => {
    const { inner, cache, advance } = setup();
    expect(await cache.loadSession("offline_b.myshopify.com")).toBeUndefined();
    await inner.storeSession(offline("b.myshopify.com", "t")); // written by another process
    expect(await cache.loadSession("offline_b.myshopify.com")).toBeUndefined();
    advance(2_001);
    expect((await cache.loadSession("offline_b.myshopify.com"))?.accessToken).toBe("t");
  });

  it("never caches a read that raced a newer write", async () => {
    const { inner, cache } = setup();
    await inner.storeSession(offline("c.myshopify.com", "stale"));
    let open!: () => void;
    inner.gate = new Promise((resolve) => (open = resolve));
    const slowRead = cache.loadSession("offline_c.myshopify.com"); // saw "stale"
    inner.gate = null;
    await cache.storeSession(offline("c.myshopify.com", "fresh"));
    open();
    await slowRead;
    expect((await cache.loadSession("offline_c.myshopify.com"))?.accessToken).toBe("fresh");
  });

  it("forgetShop drops a shop's sessions after the table was changed directly", async () => {
    const { inner, cache } = setup();
    await inner.storeSession(offline("d.myshopify.com", "t"));
    await cache.loadSession("offline_d.myshopify.com");
    inner.rows.clear(); // e.g. app/uninstalled deleted the rows with a direct query
    cache.forgetShop("d.myshopify.com");
    expect(await cache.loadSession("offline_d.myshopify.com")).toBeUndefined();
  });
});
