import { parsePolicy, type RoutingPolicy } from "~/domain/routing-policy/policy";
import type { Queryable, Tx } from "./engine/types";
import { DIALECTS } from "./engine/sql-dialect";
import { newId, sqlTime } from "./ids";
import { bumpConfigVersion } from "./shops";

// A shop's routing rule sets: at most one draft being edited, one active (what live routing reads through
// `activeRuleSet` in pipeline-sql.ts: the newest `activatedAt`), and the archived ones before it.
// Activation changes what live routing reads, so it moves the shop's config version in its transaction
// (caches in every process key on it); a draft is read by nobody but the Routing page and the simulation.

export interface RuleSetRow {
  id: string;
  shopId: string;
  name: string;
  status: string; // active | draft | archived
  rules: string;
  rateTable: string;
  promise: string;
  createdAt: string;
  activatedAt: string | null;
}

export interface StoredPolicy {
  id: string;
  name: string;
  status: string;
  /** null when the stored JSON no longer validates (then live routing falls back to the default policy). */
  policy: RoutingPolicy | null;
  error: string | null;
  createdAt: string;
  activatedAt: string | null;
}

const COLUMNS = `"id","shopId","name","status","rules","rateTable","promise","createdAt","activatedAt"`;

function toStored(row: RuleSetRow): StoredPolicy {
  let parsed: ReturnType<typeof parsePolicy>;
  try {
    const promise = JSON.parse(row.promise) as object;
    parsed = parsePolicy({ rules: JSON.parse(row.rules), rateTable: JSON.parse(row.rateTable), ...(Object.keys(promise).length > 0 ? { promise } : {}) });
  } catch (error) {
    parsed = { ok: false, error: `stored JSON is unreadable: ${(error as Error).message}` };
  }
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    policy: parsed.ok ? parsed.policy : null,
    error: parsed.ok ? null : parsed.error,
    createdAt: row.createdAt,
    activatedAt: row.activatedAt,
  };
}

/** The rule set live routing uses (same choice as `activeRuleSet`: newest activation wins). */
export async function getActive(q: Queryable, shopId: string): Promise<StoredPolicy | null> {
  const row = await q.get<RuleSetRow>(`SELECT ${COLUMNS} FROM "RoutingRuleSet" WHERE "shopId" = ? AND "status" = 'active' ORDER BY "activatedAt" DESC, "id" DESC LIMIT 1`, shopId);
  return row ? toStored(row) : null;
}

export async function getDraft(q: Queryable, shopId: string): Promise<StoredPolicy | null> {
  const row = await q.get<RuleSetRow>(`SELECT ${COLUMNS} FROM "RoutingRuleSet" WHERE "shopId" = ? AND "status" = 'draft' ORDER BY "createdAt" DESC, "id" DESC LIMIT 1`, shopId);
  return row ? toStored(row) : null;
}

/**
 * Store the shop's draft (one per shop: overwritten in place). The caller has validated the policy. Two
 * saves at once queue on the shop's row, so the second overwrites the first's draft instead of adding one.
 */
export async function saveDraft(tx: Tx, shopId: string, policy: RoutingPolicy, name = "Draft"): Promise<StoredPolicy> {
  await tx.get(`SELECT "id" FROM "Shop" WHERE "id" = ?${DIALECTS[tx.dialect].forUpdate}`, shopId);
  const data = [name, JSON.stringify(policy.rules), JSON.stringify(policy.rateTable), JSON.stringify(policy.promise ?? {})];
  const { changes } = await tx.run(`UPDATE "RoutingRuleSet" SET "name" = ?, "rules" = ?, "rateTable" = ?, "promise" = ? WHERE "shopId" = ? AND "status" = 'draft'`, ...data, shopId);
  if (changes === 0) {
    await tx.run(`INSERT INTO "RoutingRuleSet" ("id","shopId","name","status","rules","rateTable","promise","createdAt") VALUES (?,?,?,'draft',?,?,?,?)`, newId(), shopId, ...data, sqlTime());
  }
  return (await getDraft(tx, shopId))!;
}

export type ActivateOutcome = { ok: true; id: string; archived: number } | { ok: false; reason: "no_draft" };

/**
 * The draft becomes the active rule set and the previous active one is archived, in one transaction that
 * also moves the shop's config version. The promotion is guarded on `status = 'draft'`, so two concurrent
 * activations cannot both promote it.
 */
export async function activateDraft(tx: Tx, shopId: string, now = new Date()): Promise<ActivateOutcome> {
  const draft = await tx.get<{ id: string }>(`SELECT "id" FROM "RoutingRuleSet" WHERE "shopId" = ? AND "status" = 'draft' ORDER BY "createdAt" DESC, "id" DESC LIMIT 1${DIALECTS[tx.dialect].forUpdate}`, shopId);
  if (!draft) return { ok: false, reason: "no_draft" };
  const promoted = await tx.run(
    `UPDATE "RoutingRuleSet" SET "status" = 'active', "activatedAt" = ?, "name" = ? WHERE "shopId" = ? AND "id" = ? AND "status" = 'draft'`,
    sqlTime(now), `Activated ${now.toISOString().slice(0, 16).replace("T", " ")} UTC`, shopId, draft.id,
  );
  if (promoted.changes === 0) return { ok: false, reason: "no_draft" };
  const archived = await tx.run(`UPDATE "RoutingRuleSet" SET "status" = 'archived' WHERE "shopId" = ? AND "status" = 'active' AND "id" <> ?`, shopId, draft.id);
  await bumpConfigVersion(tx, shopId);
  return { ok: true, id: draft.id, archived: archived.changes };
}
