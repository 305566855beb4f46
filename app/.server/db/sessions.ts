import type { Queryable } from "./engine/types";
import { marks } from "./engine/sql-dialect";

// Shopify sessions (offline tokens, and online ones if ever used): one row per session id, found by id or
// by shop domain (Shopify's session ids name their shop: offline_<shop>, <shop>_<user id>). The row shape follows the library's SessionParams (shopify/sql-session-storage.ts maps it).

export interface SessionRow {
  id: string;
  shop: string;
  state: string;
  isOnline: unknown;
  scope: string | null;
  expires: string | null;
  accessToken: string;
  userId: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  accountOwner: unknown;
  locale: string | null;
  collaborator: unknown;
  emailVerified: unknown;
  refreshToken: string | null;
  refreshTokenExpires: string | null;
}

const COLUMNS = ["id", "shop", "state", "isOnline", "scope", "expires", "accessToken", "userId", "firstName", "lastName", "email", "accountOwner", "locale", "collaborator", "emailVerified", "refreshToken", "refreshTokenExpires"] as const;
const LIST = COLUMNS.map((c) => `"${c}"`).join(",");

export type SessionValues = { [K in (typeof COLUMNS)[number]]: unknown };

export async function upsertSession(db: Queryable, row: SessionValues): Promise<void> {
  await db.run(
    `INSERT INTO "Session" (${LIST}) VALUES (${marks(COLUMNS.length)})
     ON CONFLICT ("id") DO UPDATE SET ${COLUMNS.filter((c) => c !== "id").map((c) => `"${c}" = excluded."${c}"`).join(", ")}`,
    ...COLUMNS.map((c) => row[c]),
  );
}

export async function sessionById(db: Queryable, id: string): Promise<SessionRow | undefined> {
  return db.get<SessionRow>(`SELECT ${LIST} FROM "Session" WHERE "id" = ?`, id);
}

export async function sessionsOfShop(db: Queryable, shopDomain: string, limit = 25): Promise<SessionRow[]> {
  return db.all<SessionRow>(`SELECT ${LIST} FROM "Session" WHERE "shop" = ? ORDER BY "expires" DESC LIMIT ?`, shopDomain, limit);
}

export async function deleteSessionsById(db: Queryable, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  return (await db.run(`DELETE FROM "Session" WHERE "id" IN (${marks(ids.length)})`, ...ids)).changes;
}

/** Every session of a shop (app/uninstalled, shop/redact). */
export async function deleteSessionsOfShop(db: Queryable, shopDomain: string): Promise<number> {
  return (await db.run(`DELETE FROM "Session" WHERE "shop" = ?`, shopDomain)).changes;
}

/** app/scopes_update: the scopes the merchant granted now. */
export async function setSessionScopes(db: Queryable, shopDomain: string, scope: string): Promise<number> {
  return (await db.run(`UPDATE "Session" SET "scope" = ? WHERE "shop" = ?`, scope, shopDomain)).changes;
}
