import { isApiKeyScope, MAX_API_KEY_NAME_LENGTH, type ApiKeyScope } from "~/domain/api/api-key";
import { newApiKey } from "../auth/api-key-secret";
import { insertApiKey, listApiKeys, revokeApiKeyRow, type ApiKeyRow } from "../db/api-keys-sql";
import { audit } from "../db/audit";
import { database } from "../db/database";
import { AppError } from "../errors";

// The Settings page's API keys (ADR 0014): made with a name and a scope, shown in full once, revoked for good.

export type ApiKeyView = Omit<ApiKeyRow, "shopId">;

export async function listApiKeyViews(shopId: string): Promise<ApiKeyView[]> {
  return (await listApiKeys(database(), shopId)).map(({ shopId: _shop, ...view }) => view);
}

/** Make a key for the shop: only its hash is stored, so the text returned here is the only time anyone sees it. */
export async function createApiKey(shopId: string, input: { name: string; scope: string }, actor = "user"): Promise<{ key: ApiKeyView; text: string }> {
  const name = input.name.trim();
  const problems: string[] = [];
  if (!name) problems.push("name: give the key a name (what uses it)");
  if (name.length > MAX_API_KEY_NAME_LENGTH) problems.push(`name: at most ${MAX_API_KEY_NAME_LENGTH} characters`);
  if (!isApiKeyScope(input.scope)) problems.push("scope: read or write");
  if (problems.length) throw new AppError("invalid_data", "API_KEY.INVALID", problems.join("; "));
  const scope = input.scope as ApiKeyScope;
  for (;;) {
    const made = newApiKey();
    const id = await database().transaction(async (tx) => {
      const inserted = await insertApiKey(tx, shopId, { name, prefix: made.prefix, hash: made.hash, scope });
      if (inserted) await audit(tx, shopId, actor, "api_key.created", { type: "api_key", id: inserted }, { name, prefix: made.prefix, scope });
      return inserted;
    });
    // A prefix already taken (48 random bits: practically never) draws another key.
    if (!id) continue;
    const key = (await listApiKeyViews(shopId)).find((k) => k.id === id)!;
    return { key, text: made.text };
  }
}

/** Revoke one of the shop's keys: every request with it is refused from now on (401). */
export async function revokeApiKey(shopId: string, keyId: string, actor = "user"): Promise<void> {
  const outcome = await database().transaction(async (tx) => {
    const result = await revokeApiKeyRow(tx, shopId, keyId);
    if (result === "revoked") await audit(tx, shopId, actor, "api_key.revoked", { type: "api_key", id: keyId });
    return result;
  });
  if (outcome === "not_found") throw new AppError("not_found", "API_KEY.NOT_FOUND", "No such API key in this shop.");
}
