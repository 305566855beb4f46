import { execute } from "./db-query";

// A stored Shopify session, as the app's session storage would have written it (the columns the test names;
// the rest take their defaults). Dates are stored as the database's time, booleans as its truth values.

export interface SessionFields {
  id: string;
  shop: string;
  accessToken: string;
  state?: string;
  isOnline?: boolean;
  scope?: string | null;
  expires?: Date | null;
  refreshToken?: string | null;
  refreshTokenExpires?: Date | null;
}

export async function addSession(fields: SessionFields): Promise<void> {
  const row: Record<string, unknown> = { state: "", isOnline: false, ...fields };
  const columns = Object.keys(row).filter((c) => row[c] !== undefined);
  await execute(`INSERT INTO "Session" (${columns.map((c) => `"${c}"`).join(",")}) VALUES (${columns.map(() => "?").join(",")})`, ...columns.map((c) => row[c]));
}

/** The offline session of a shop (`offline_<shop>`), valid for a day, with an expiring refresh token. */
export async function addOfflineSession(shop: string, fields: Partial<SessionFields> = {}): Promise<void> {
  await addSession({ id: `offline_${shop}`, shop, accessToken: `shpat_${shop}`, expires: new Date(Date.now() + 86_400_000), ...fields });
}
