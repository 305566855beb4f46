import type { RoutingRuleSet } from "@prisma/client";
import { parsePolicy, type RoutingPolicy } from "~/domain/routing-policy/policy";
import { db } from "./client";

// A shop's routing rule sets: at most one draft being edited, one active (what live routing reads through
// `activeRuleSet` in pipeline-sql.ts: the newest `activatedAt`), and the archived ones before it.
// Writes are single statements: no interactive transaction may hold the write lock across an await while
// the hot-path SQL connection is routing orders (docs/decisions/0004-hot-path-sql.md).

export interface StoredPolicy {
  id: string;
  name: string;
  status: string;
  /** null when the stored JSON no longer validates (then live routing falls back to the default policy). */
  policy: RoutingPolicy | null;
  error: string | null;
  createdAt: Date;
  activatedAt: Date | null;
}

function toStored(row: RoutingRuleSet): StoredPolicy {
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
export async function getActive(shopId: string): Promise<StoredPolicy | null> {
  const row = await db().routingRuleSet.findFirst({ where: { shopId, status: "active" }, orderBy: [{ activatedAt: "desc" }, { id: "desc" }] });
  return row ? toStored(row) : null;
}

export async function getDraft(shopId: string): Promise<StoredPolicy | null> {
  const row = await db().routingRuleSet.findFirst({ where: { shopId, status: "draft" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  return row ? toStored(row) : null;
}

/** Store the shop's draft (one per shop: overwritten in place). The caller has validated the policy. */
export async function saveDraft(shopId: string, policy: RoutingPolicy, name = "Draft"): Promise<StoredPolicy> {
  const data = { rules: JSON.stringify(policy.rules), rateTable: JSON.stringify(policy.rateTable), promise: JSON.stringify(policy.promise ?? {}), name };
  const { count } = await db().routingRuleSet.updateMany({ where: { shopId, status: "draft" }, data });
  if (count === 0) await db().routingRuleSet.create({ data: { shopId, status: "draft", ...data } });
  return (await getDraft(shopId))!;
}

export type ActivateOutcome = { ok: true; id: string; archived: number } | { ok: false; reason: "no_draft" };

/**
 * The draft becomes the active rule set and the previous active one is archived. The draft is promoted
 * first: between the two statements both are `active` and live routing already reads the newer one, so
 * there is never a moment without an active policy (archiving first would leave one, and routing would
 * fall back to the default policy in it). The promotion is guarded on `status = 'draft'`, so two
 * concurrent activations cannot both promote it.
 */
export async function activateDraft(shopId: string, now = new Date()): Promise<ActivateOutcome> {
  const draft = await db().routingRuleSet.findFirst({ where: { shopId, status: "draft" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } });
  if (!draft) return { ok: false, reason: "no_draft" };
  const promoted = await db().routingRuleSet.updateMany({ where: { id: draft.id, shopId, status: "draft" }, data: { status: "active", activatedAt: now, name: `Activated ${now.toISOString().slice(0, 16).replace("T", " ")} UTC` } });
  if (promoted.count === 0) return { ok: false, reason: "no_draft" };
  const archived = await db().routingRuleSet.updateMany({ where: { shopId, status: "active", id: { not: draft.id } }, data: { status: "archived" } });
  return { ok: true, id: draft.id, archived: archived.count };
}
