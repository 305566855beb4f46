import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The theme app extension (extensions/order-lookup): Shopify's CLI cannot run here, so what it would refuse is
// checked directly — the block's schema is JSON with the keys a theme block needs; every `t:` key and every
// `| t` string it uses exists in each language's locale files; and the link goes to the app proxy path that
// shopify.app.toml declares and app/routes/proxy.tsx serves.

const DIR = path.resolve("extensions/order-lookup");
const liquid = readFileSync(path.join(DIR, "blocks/order-lookup.liquid"), "utf8");
const schema = JSON.parse(/\{% schema %\}([\s\S]*?)\{% endschema %\}/.exec(liquid)![1]) as { name: string; target: string; settings: { id: string; type: string; label: string; options?: { label: string }[] }[] };
const locale = (file: string) => JSON.parse(readFileSync(path.join(DIR, "locales", file), "utf8")) as Record<string, unknown>;
const lookup = (tree: Record<string, unknown>, key: string) => key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), tree);

describe("the order lookup theme block", () => {
  it("has a theme block schema", () => {
    expect(schema.target).toBe("section");
    expect(new Set(schema.settings.map((s) => s.id)).size).toBe(schema.settings.length);
    expect(readFileSync(path.join(DIR, "shopify.extension.toml"), "utf8")).toMatch(/^type = "theme"$/m);
  });

  it("names every label and string in English and Spanish", () => {
    const schemaKeys = [schema.name, ...schema.settings.flatMap((s) => [s.label, ...(s.options ?? []).map((o) => o.label)])].map((k) => k.replace(/^t:/, ""));
    const textKeys = [...liquid.matchAll(/'([a-z_.]+)' \| t\b/g)].map((m) => m[1]);
    expect(textKeys.length).toBeGreaterThan(0);
    const files = readdirSync(path.join(DIR, "locales"));
    expect(files.sort()).toEqual(["en.default.json", "en.default.schema.json", "es.json", "es.schema.json"]);
    for (const [texts, schemaTexts] of [["en.default.json", "en.default.schema.json"], ["es.json", "es.schema.json"]]) {
      for (const key of textKeys) expect(typeof lookup(locale(texts), key), `${texts}: ${key}`).toBe("string");
      for (const key of schemaKeys) expect(typeof lookup(locale(schemaTexts), key), `${schemaTexts}: ${key}`).toBe("string");
    }
  });

  it("links to the app proxy path the app declares and serves", () => {
    const toml = readFileSync("shopify.app.toml", "utf8");
    const proxy = /\[app_proxy\]\s*\nurl = "[^"]*?(\/[a-z]+)"\s*\nsubpath = "([a-z-]+)"\s*\nprefix = "([a-z]+)"/.exec(toml);
    expect(proxy).not.toBeNull();
    const [, route, subpath, prefix] = proxy!;
    expect(liquid).toContain(`/${prefix}/${subpath}`);
    expect(readdirSync("app/routes")).toContain(`${route.slice(1)}.tsx`);
  });
});
