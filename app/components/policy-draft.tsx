import type { RoutingPolicy } from "~/domain/routing-policy/policy";
import { defaultPromisePolicy } from "~/domain/routing-policy/delivery-promise";
import type { RoutingRule } from "~/domain/routing";

// The routing page's form model: a policy as the merchant edits it (text fields hold strings), and the
// conversion back to the JSON the server validates with `parsePolicy`. Nothing is validated here: a
// field that is not a number is sent as typed, so the server's message names it.

export type RuleType = RoutingRule["type"];

export interface RuleDraft {
  key: number;
  type: RuleType;
  ids: string[];
  max: string;
  bonus: string;
}

export interface ZoneDraft {
  key: number;
  zone: string;
  maxKm: string;
  perPackageMinor: string;
  perUnitMinor: string;
  perKgMinor: string;
  perKgPer100KmMinor: string;
}

export interface ServiceDraft {
  key: number;
  code: string;
  name: string;
  costMultiplier: string;
  /** Transit days per zone row (same order as `zones`); blank = the service does not serve that zone. */
  transit: string[];
}

export interface ServiceLevelDraft {
  key: number;
  name: string;
  /** Comma-separated words or phrases. */
  matches: string;
  businessDays: string;
}

export interface PromiseDraft {
  levels: ServiceLevelDraft[];
  /** Blank: promise nothing when no level matches. */
  defaultBusinessDays: string;
}

export interface PolicyDraft {
  rules: RuleDraft[];
  zones: ZoneDraft[];
  services: ServiceDraft[];
  promise: PromiseDraft;
}

export const RULE_INFO: Record<RuleType, { label: string; help: string; kind: "filter" | "ranking" }> = {
  capacity: { label: "Respect daily capacity", help: "A location that has shipped its daily capacity is skipped.", kind: "filter" },
  exclude_locations: { label: "Exclude locations", help: "These locations never ship.", kind: "filter" },
  max_splits: { label: "At most N shipments", help: "Never split an order over more locations than this.", kind: "filter" },
  promise_feasible: { label: "Keep the promised date", help: "Only plans that arrive by the promised date, when any can.", kind: "filter" },
  lowest_landed_cost: { label: "Lowest landed cost", help: "Handling + shipping, from the rate table.", kind: "ranking" },
  fewest_splits: { label: "Fewest shipments", help: "Fewer packages first.", kind: "ranking" },
  closest: { label: "Closest", help: "Units × km to the customer.", kind: "ranking" },
  prefer_locations: { label: "Prefer locations", help: "Without a bonus: ranks plans by units shipped from elsewhere. With a bonus: lowers their landed cost per unit.", kind: "ranking" },
};

let nextKey = 1;
export const newKey = () => nextKey++;

export function newRule(type: RuleType): RuleDraft {
  return { key: newKey(), type, ids: [], max: type === "max_splits" ? "2" : "", bonus: "" };
}

export function toDraft(policy: RoutingPolicy): PolicyDraft {
  const zones = policy.rateTable.zones;
  return {
    rules: policy.rules.map((r) => ({
      key: newKey(),
      type: r.type,
      ids: "ids" in r ? [...r.ids] : [],
      max: r.type === "max_splits" ? String(r.max) : "",
      bonus: r.type === "prefer_locations" && r.bonusMinor !== undefined ? String(r.bonusMinor) : "",
    })),
    zones: zones.map((z) => ({
      key: newKey(), zone: String(z.zone), maxKm: String(z.maxKm), perPackageMinor: String(z.perPackageMinor), perUnitMinor: String(z.perUnitMinor),
      perKgMinor: z.perKgMinor === undefined ? "" : String(z.perKgMinor), perKgPer100KmMinor: String(z.perKgPer100KmMinor),
    })),
    services: policy.rateTable.services.map((s) => ({
      key: newKey(), code: s.code, name: s.name, costMultiplier: String(s.costMultiplier),
      transit: zones.map((z) => (s.transitDays[z.zone] === undefined ? "" : String(s.transitDays[z.zone]))),
    })),
    promise: (() => {
      const promise = policy.promise ?? defaultPromisePolicy();
      return {
        levels: promise.serviceLevels.map((l) => ({ key: newKey(), name: l.name, matches: l.matches.join(", "), businessDays: String(l.businessDays) })),
        defaultBusinessDays: promise.defaultBusinessDays === null ? "" : String(promise.defaultBusinessDays),
      };
    })(),
  };
}

/** A number when the text is one; otherwise the text itself (blank → null) so validation can say what is wrong. */
function num(text: string): number | string | null {
  const t = text.trim();
  if (t === "") return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

export function fromDraft(draft: PolicyDraft): { rules: unknown[]; rateTable: { zones: unknown[]; services: unknown[] }; promise: { serviceLevels: unknown[]; defaultBusinessDays: unknown } } {
  return {
    rules: draft.rules.map((r) => {
      if (r.type === "exclude_locations") return { type: r.type, ids: r.ids };
      if (r.type === "prefer_locations") return r.bonus.trim() === "" ? { type: r.type, ids: r.ids } : { type: r.type, ids: r.ids, bonusMinor: num(r.bonus) };
      if (r.type === "max_splits") return { type: r.type, max: num(r.max) };
      return { type: r.type };
    }),
    rateTable: {
      zones: draft.zones.map((z) => ({
        zone: num(z.zone), maxKm: num(z.maxKm), perPackageMinor: num(z.perPackageMinor), perUnitMinor: num(z.perUnitMinor),
        ...(z.perKgMinor.trim() === "" ? {} : { perKgMinor: num(z.perKgMinor) }), perKgPer100KmMinor: num(z.perKgPer100KmMinor),
      })),
      services: draft.services.map((s) => ({
        code: s.code.trim(), name: s.name.trim(), costMultiplier: num(s.costMultiplier),
        transitDays: Object.fromEntries(draft.zones.flatMap((z, i) => ((s.transit[i] ?? "").trim() === "" ? [] : [[z.zone.trim(), num(s.transit[i])]]))),
      })),
    },
    promise: {
      serviceLevels: draft.promise.levels.map((l) => ({ name: l.name.trim(), matches: l.matches.split(",").map((m) => m.trim()).filter(Boolean), businessDays: num(l.businessDays) })),
      defaultBusinessDays: num(draft.promise.defaultBusinessDays),
    },
  };
}

/** Where a validation issue belongs, in the merchant's words ("Rule 3 · At most N shipments"). */
export function issueLabel(path: string, draft: PolicyDraft): string {
  const p = path.split(".");
  if (p[0] === "rules" && p.length > 1) {
    const rule = draft.rules[Number(p[1])];
    return `Rule ${Number(p[1]) + 1}${rule ? ` (${RULE_INFO[rule.type]?.label ?? rule.type})` : ""}${p[2] ? ` · ${p.slice(2).join(".")}` : ""}`;
  }
  if (p[0] === "rules") return "Rules";
  if (p[1] === "zones" && p.length > 2) return `Zone row ${Number(p[2]) + 1}${p[3] ? ` · ${p[3]}` : ""}`;
  if (p[1] === "zones") return "Zones";
  if (p[1] === "services" && p.length > 2) {
    const s = draft.services[Number(p[2])];
    const where = `Service ${Number(p[2]) + 1}${s?.code ? ` (${s.code})` : ""}`;
    if (p[3] === "transitDays" && p[4]) return `${where} · transit days for zone ${p[4]}`;
    return `${where}${p[3] ? ` · ${p[3]}` : ""}`;
  }
  if (p[1] === "services") return "Services";
  if (p[0] === "promise" && p[1] === "serviceLevels" && p.length > 2) {
    const level = draft.promise.levels[Number(p[2])];
    return `Service level ${Number(p[2]) + 1}${level?.name ? ` (${level.name})` : ""}${p[3] ? ` · ${p[3]}` : ""}`;
  }
  if (p[0] === "promise") return p[1] === "defaultBusinessDays" ? "Default business days" : "Delivery promise";
  return path || "Policy";
}
