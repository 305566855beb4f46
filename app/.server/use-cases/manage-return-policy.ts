import { returnPolicySchema, type ReturnPolicy } from "~/domain/returns/policy";
import { audit } from "../db/audit";
import { database } from "../db/database";
import { readReturnPolicy, saveReturnPolicy } from "../db/returns-sql";

// The shop's return policy as the admin edits it: the default until saved; a policy naming a location the shop does
// not have, or anything out of range, is refused whole (400) with every problem listed.

export async function getReturnPolicy(shopId: string): Promise<ReturnPolicy> {
  return readReturnPolicy(database(), shopId);
}

export async function updateReturnPolicy(shopId: string, input: unknown, opts: { actor?: string } = {}): Promise<{ ok: true; policy: ReturnPolicy } | { ok: false; status: 400; error: string }> {
  const parsed = returnPolicySchema.safeParse(input);
  if (!parsed.success) return { ok: false, status: 400, error: `Return policy not saved: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(policy)"}: ${i.message}`).join("; ")}` };
  const policy = parsed.data;
  return database().transaction(async (tx) => {
    const known = new Set((await tx.all<{ id: string }>(`SELECT "id" FROM "Location" WHERE "shopId" = ?`, shopId)).map((l) => l.id));
    const unknown = policy.receivingLocationIds.filter((id) => !known.has(id));
    if (unknown.length > 0) return { ok: false as const, status: 400 as const, error: `Return policy not saved: receivingLocationIds: no location ${unknown.map((id) => JSON.stringify(id)).join(", ")} in this shop` };
    await saveReturnPolicy(tx, shopId, policy);
    await audit(tx, shopId, opts.actor ?? "admin", "return_policy.updated", { type: "shop", id: shopId }, { windowDays: policy.windowDays, receivingLocations: policy.receivingLocationIds.length });
    return { ok: true as const, policy };
  });
}
