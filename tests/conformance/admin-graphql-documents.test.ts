import { existsSync, readFileSync, readdirSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import path from "node:path";
import { buildClientSchema, buildSchema, parse, validate, type GraphQLSchema } from "graphql";
import { describe, expect, it } from "vitest";

// Every GraphQL document the app sends must validate against Shopify's real Admin schema (../shared/fixtures):
// 2026-01, the version the app pins (SDL, @idempotent included), and 2025-01 (introspection JSON).
// Documents live one per file in app/.server/shopify/graphql/.

const FIXTURE = path.resolve("../shared/fixtures/shopify_admin_graphql_schema/admin_schema_2025-01.json.gz");
const PINNED_SDL = path.resolve("../shared/fixtures/shopify_admin_graphql_schema/admin_schema_2026-01.graphql");

export function loadPinnedAdminSchema(): GraphQLSchema {
  if (!existsSync(PINNED_SDL)) throw new Error(`Shopify's 2026-01 Admin schema fixture is missing at ${PINNED_SDL}: clone the repo beside ../shared`);
  return buildSchema(readFileSync(PINNED_SDL, "utf8"));
}
const DOCS_DIR = path.resolve("app/.server/shopify/graphql");

export function loadShopifyAdminSchema(): GraphQLSchema {
  if (!existsSync(FIXTURE)) throw new Error(`Shopify's Admin schema fixture is missing at ${FIXTURE}: clone the repo beside ../shared`);
  return buildClientSchema(JSON.parse(gunzipSync(readFileSync(FIXTURE)).toString("utf8")).data);
}

/** Shopify added @idempotent after 2025-01; the fixture does not know it, so it is checked separately. */
function withoutIdempotentDirective(doc: string): string {
  return doc.replace(/@idempotent\(\s*key:\s*\$?\w+\s*\)/g, "");
}

async function appDocuments(): Promise<{ file: string; name: string; source: string }[]> {
  const docs: { file: string; name: string; source: string }[] = [];
  for (const file of readdirSync(DOCS_DIR).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))) {
    const mod = (await import(path.join(DOCS_DIR, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value === "string" && value.includes("#graphql")) docs.push({ file, name, source: value });
    }
  }
  return docs;
}

describe("the app's Admin GraphQL documents against Shopify's real schema", () => {
  const schema = loadShopifyAdminSchema();

  it("finds the documents", async () => {
    expect((await appDocuments()).length).toBeGreaterThanOrEqual(3);
  });

  it("every document that does not need 2026-01 validates against 2025-01 too", async () => {
    // changeFromQuantity (inventory compare-and-set) and @idempotent arrived after 2025-01: the inventory mutations
    // that carry them need 2026-01, and so do returnProcess and Return.suggestedFinancialOutcome (returns processing, 2025-07); everything else must still be there.
    const problems: string[] = [];
    for (const doc of (await appDocuments()).filter((d) => !d.source.includes("InventorySetQuantitiesInput") && !d.source.includes("ReturnProcessInput") && !d.source.includes("suggestedFinancialOutcome") && !/@idempotent\(key: \$/.test(d.source))) {
      const errors = validate(schema, parse(withoutIdempotentDirective(doc.source)));
      for (const e of errors) problems.push(`${doc.file} ${doc.name}: ${e.message}`);
    }
    expect(problems).toEqual([]);
  });

  it("every document validates against 2026-01, the pinned version, @idempotent and changeFromQuantity included", async () => {
    const pinned = loadPinnedAdminSchema();
    const problems: string[] = [];
    for (const doc of await appDocuments()) {
      for (const e of validate(pinned, parse(doc.source))) problems.push(`${doc.file} ${doc.name}: ${e.message}`);
    }
    expect(problems).toEqual([]);
    // and a document using what 2026-01 does not have is refused
    const wrong = validate(pinned, parse(`mutation { inventorySetQuantities(input: { name: "on_hand", reason: "received", quantities: [{ inventoryItemId: "gid://shopify/InventoryItem/1", locationId: "gid://shopify/Location/1", quantity: 1, changeFromQuantityTypo: 0 }] }) @idempotent(key: "k") { userErrors { code } } }`));
    expect(wrong.map((e) => e.message).join()).toMatch(/changeFromQuantityTypo/);
  });

  it("a broken document is caught (the check can fail)", () => {
    const errors = validate(schema, parse("query { shop { id nameThatDoesNotExist } }"));
    expect(errors.map((e) => e.message).join()).toMatch(/nameThatDoesNotExist/);
  });
});
