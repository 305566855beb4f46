import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { database } from "../db/database";
import { deleteSessionsById, sessionById, sessionsOfShop, upsertSession, type SessionRow, type SessionValues } from "../db/sessions";

// Shopify's SessionStorage on the app's own database (SQLite or PostgreSQL), so sessions live beside the
// shop's data and need no second client. Nothing is cached in memory: a session is one primary-key read,
// and every process (app servers, workers) sees a token refresh or an uninstall the moment it commits.

function toValues(session: Session): SessionValues {
  const user = session.onlineAccessInfo?.associated_user;
  const params = session.toObject();
  return {
    id: session.id,
    shop: session.shop,
    state: session.state,
    isOnline: session.isOnline,
    scope: session.scope || null,
    expires: session.expires ?? null,
    accessToken: session.accessToken || "",
    userId: user?.id !== undefined ? String(user.id) : null,
    firstName: user?.first_name || null,
    lastName: user?.last_name || null,
    email: user?.email || null,
    accountOwner: user?.account_owner || false,
    locale: user?.locale || null,
    collaborator: user?.collaborator || false,
    emailVerified: user?.email_verified || false,
    refreshToken: params.refreshToken || null,
    refreshTokenExpires: params.refreshTokenExpires ? new Date(params.refreshTokenExpires) : null,
  };
}

function toSession(row: SessionRow): Session {
  const entries: [string, string | number | boolean][] = [
    ["id", row.id],
    ["shop", row.shop],
    ["state", row.state],
    ["isOnline", Boolean(row.isOnline)],
  ];
  if (row.scope) entries.push(["scope", row.scope]);
  if (row.expires) entries.push(["expires", Date.parse(row.expires)]);
  if (row.accessToken) entries.push(["accessToken", row.accessToken]);
  if (row.refreshToken) entries.push(["refreshToken", row.refreshToken]);
  if (row.refreshTokenExpires) entries.push(["refreshTokenExpires", Date.parse(row.refreshTokenExpires)]);
  if (row.userId) {
    entries.push(["userId", row.userId], ["firstName", row.firstName ?? ""], ["lastName", row.lastName ?? ""], ["email", row.email ?? ""], ["locale", row.locale ?? ""]);
    entries.push(["accountOwner", Boolean(row.accountOwner)], ["collaborator", Boolean(row.collaborator)], ["emailVerified", Boolean(row.emailVerified)]);
  }
  return Session.fromPropertyArray(entries, true);
}

export class SqlSessionStorage implements SessionStorage {
  async storeSession(session: Session): Promise<boolean> {
    await upsertSession(database(), toValues(session));
    return true;
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const row = await sessionById(database(), id);
    return row ? toSession(row) : undefined;
  }

  async deleteSession(id: string): Promise<boolean> {
    await deleteSessionsById(database(), [id]);
    return true;
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    await deleteSessionsById(database(), ids);
    return true;
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    return (await sessionsOfShop(database(), shop)).map(toSession);
  }
}
