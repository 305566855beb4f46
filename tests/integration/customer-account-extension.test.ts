import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { journeyFacts, type JourneyInput } from "~/domain/portal/journey";

// The customer-account UI extension (extensions/order-status-journey, ADR 0028). scripts/build-extensions.sh builds
// and typechecks it with Shopify CLI (in CI); what the CLI does not check is checked here: the target, API version
// and pinned packages the stack was verified with, every text in English and Spanish with the same placeholders,
// a text for every state and step the app can answer, and the app URL and paths it calls matching the app.

const DIR = path.resolve("extensions/order-status-journey");
const toml = readFileSync(path.join(DIR, "shopify.extension.toml"), "utf8");
const source = readdirSync(path.join(DIR, "src")).map((f) => readFileSync(path.join(DIR, "src", f), "utf8")).join("\n");
type Tree = { [key: string]: string | Tree };
const locale = (file: string) => JSON.parse(readFileSync(path.join(DIR, "locales", file), "utf8")) as Tree;
const PLURAL = ["zero", "one", "two", "few", "many", "other"];
const isPlural = (node: Tree) => Object.keys(node).every((k) => PLURAL.includes(k)) && "other" in node;

/** Every text of a locale by its key; a plural group counts as one text (its `other` form). */
function texts(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const at = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(at, value);
    else if (isPlural(value)) out.set(at, value.other as string);
    else for (const [k, v] of texts(value, at)) out.set(k, v);
  }
  return out;
}
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe("the order status extension", () => {
  it("targets the order status page at API 2026-01 with the packages the stack was verified with", () => {
    expect(toml).toMatch(/^api_version = "2026-01"$/m);
    expect(toml).toMatch(/^type = "ui_extension"$/m);
    expect(toml).toMatch(/^handle = "order-status-journey"$/m);
    expect(toml).toMatch(/^target = "customer-account\.order-status\.block\.render"$/m);
    expect(toml).toMatch(/^network_access = true$/m);
    const module = /^module = "([^"]+)"$/m.exec(toml)?.[1];
    expect(module && existsSync(path.join(DIR, module))).toBe(true);
    const pkg = JSON.parse(readFileSync(path.join(DIR, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(pkg.dependencies).toEqual({ "@shopify/ui-extensions": "2026.1.5", preact: "10.29.8", "@preact/signals": "2.11.4" });
    const lock = JSON.parse(readFileSync(path.join(DIR, "package-lock.json"), "utf8")) as { packages: Record<string, { version: string }> };
    for (const [name, version] of Object.entries(pkg.dependencies)) expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
  });

  it("has every text in English and Spanish, with the same placeholders and plural forms", () => {
    expect(readdirSync(path.join(DIR, "locales")).sort()).toEqual(["en.default.json", "es.json"]);
    const en = texts(locale("en.default.json"));
    const es = texts(locale("es.json"));
    expect([...es.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [key, text] of en) expect(placeholders(es.get(key)!), key).toEqual(placeholders(text));
    // Plural groups: English needs one/other; Spanish one/many/other (CLDR gives "many" for millions).
    const groups = (tree: Tree, at = ""): [string, Tree][] => Object.entries(tree).flatMap(([k, v]) => (typeof v === "string" ? [] : isPlural(v) ? [[`${at}${k}`, v] as [string, Tree]] : groups(v, `${at}${k}.`)));
    for (const [key, forms] of groups(locale("en.default.json"))) expect(Object.keys(forms).sort(), key).toEqual(["one", "other"]);
    for (const [key, forms] of groups(locale("es.json"))) expect(Object.keys(forms).sort(), key).toEqual(["many", "one", "other"]);
    // Every literal key the code translates, and the extension's name (t:name in the toml).
    const used = [...source.matchAll(/\bt\(\s*"([a-z_.]+)"/g), ...source.matchAll(/\?\s*"([a-z_]+\.[a-z_.]+)"\s*:\s*"([a-z_]+\.[a-z_.]+)"/g)].flatMap((m) => m.slice(1));
    expect(used.length).toBeGreaterThan(15);
    expect(/^name = "t:(\w+)"$/m.exec(toml)?.[1]).toBe("name");
    for (const key of [...used, "name"]) {
      expect(en.has(key), `en: ${key}`).toBe(true);
      expect(es.has(key), `es: ${key}`).toBe(true);
    }
  });

  it("has a text for every state and step the app answers", () => {
    const base: JourneyInput = { name: "#1", status: "received", placedAt: "2026-12-01T00:00:00Z", cancelledAt: null, promisedBy: null, units: { ordered: 2, byStatus: {}, backorderExpectedAt: null }, shipments: [] };
    const journeys = [
      base,
      { ...base, units: { ...base.units, byStatus: { backordered: 2 } } },
      { ...base, status: "partially_shipped", units: { ...base.units, byStatus: { fulfilled: 1, backordered: 1 } } },
      { ...base, status: "shipped", units: { ...base.units, byStatus: { fulfilled: 2 } } },
      { ...base, status: "delivered", units: { ...base.units, byStatus: { fulfilled: 2 } } },
      { ...base, status: "cancelled", cancelledAt: "2026-12-02T00:00:00Z" },
    ].map(journeyFacts);
    const states = new Set(journeys.map((j) => j.state));
    expect(states.size).toBe(6);
    const keys = [...[...states].map((s) => `state.${s}`), ...new Set(journeys.flatMap((j) => j.steps.map((s) => `step.${s.key}`)))];
    expect(source).toContain("t(`state.${j.state}`");
    expect(source).toContain("t(`step.${step.key}`)");
    for (const file of ["en.default.json", "es.json"]) {
      const all = texts(locale(file));
      for (const key of keys) expect(all.has(key), `${file}: ${key}`).toBe(true);
    }
  });

  it("calls the app where it answers: its application_url and the customer-account routes", () => {
    const appToml = readFileSync("shopify.app.toml", "utf8");
    const applicationUrl = /^application_url = "([^"]+)"$/m.exec(appToml)?.[1];
    expect(/APP_URL_FALLBACK = "([^"]+)"/.exec(source)?.[1]).toBe(applicationUrl);
    expect(source).toContain("/customer-account/orders/${encodeURIComponent(orderGid)}/${what}");
    const routes = readdirSync("app/routes");
    for (const what of ["journey", "returns"]) expect(routes).toContain(`customer-account.orders.$orderGid.${what}.ts`);
    expect(source).toContain("Authorization: `Bearer ${bearer}`");
    expect(source).toContain("shopify.sessionToken");
  });
});
