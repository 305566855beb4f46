import { beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { createApiKey } from "~/.server/use-cases/manage-api-keys";
import { action, loader } from "~/routes/api.v1.pick-routes";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addSession } from "../support/sessions";

// POST /api/v1/pick-routes: the order to walk a pick list in a parallel-aisle warehouse (ADR 0025), for an API
// key or a session token; every problem with the body answered at once.

const SHOP = "pick-routes.myshopify.com";
const URL = "http://127.0.0.1:3999/api/v1/pick-routes";
const sessionToken = () => mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP);
const post = async (body: unknown, token: string | null) => {
  const headers: Record<string, string> = { "Content-Type": "application/json", "User-Agent": "Mozilla/5.0 Chrome/156" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await action({ request: new Request(URL, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) }), params: {}, context: {} });
  return { status: response.status, body: await response.json() };
};

const layout = { aisles: 4, aisleLengthM: 10, aisleSpacingM: 2, depot: { aisle: 0, yM: 0 } };
const picks = [{ aisle: 3, yM: 4 }, { aisle: 1, yM: 7 }, { aisle: 2, yM: 5 }, { aisle: 1, yM: 3 }];

let apiKey: string;
let readKey: string;
beforeAll(async () => {
  const shop = await ensureShop(SHOP);
  await addSession({ id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "shpat_x", expires: new Date(Date.now() + 86_400_000) });
  apiKey = (await createApiKey(shop.id, { name: "wms", scope: "write" })).text;
  readKey = (await createApiKey(shop.id, { name: "reports", scope: "read" })).text;
});

describe("POST /api/v1/pick-routes", () => {
  it("answers the exact route with an API key, and the baselines on request", async () => {
    const optimal = await post({ layout, picks }, apiKey);
    expect(optimal.status).toBe(200);
    expect(optimal.body).toMatchObject({ method: "optimal", algorithm: "ratliff_rosenthal_dp", exact: true });
    expect(optimal.body.sequence.map((s: { index: number }) => s.index).sort()).toEqual([0, 1, 2, 3]);
    const sShape = await post({ layout, picks, method: "s_shape" }, apiKey);
    expect(sShape.body).toMatchObject({ lengthM: 40, method: "s_shape", exact: false });
    expect(optimal.body.lengthM).toBeLessThanOrEqual(40);
  });

  it("answers with a session token too; two blocks are exact, three are the heuristic and say so", async () => {
    const two = await post({ layout: { ...layout, crossAislesAtM: [5] }, picks }, sessionToken());
    expect(two).toMatchObject({ status: 200, body: { exact: true, algorithm: "roodbergen_de_koster_dp" } });
    const three = await post({ layout: { ...layout, crossAislesAtM: [3, 6] }, picks }, sessionToken());
    expect(three).toMatchObject({ status: 200, body: { exact: false, algorithm: "nearest_neighbour_2opt_oropt", method: "optimal" } });
  });

  it("refuses a caller without credentials, a body that is not JSON, and lists every problem of a bad body", async () => {
    expect((await post({ layout, picks }, null)).status).toBe(401);
    // Every POST under /api/v1 takes a write key (ADR 0014), this one included.
    expect((await post({ layout, picks }, readKey)).status).toBe(403);
    expect((await post("{", apiKey)).status).toBe(400);
    const shape = await post({ layout: { ...layout, aisles: "4" }, picks: [{ aisle: 1 }], method: "fastest" }, apiKey);
    expect(shape.status).toBe(400);
    expect(shape.body.error.details.issues).toHaveLength(3);
    const geometry = await post({ layout: { ...layout, crossAislesAtM: [7, 7] }, picks: [{ aisle: 4, yM: 2 }, { aisle: 0, yM: 12 }] }, apiKey);
    expect(geometry.status).toBe(400);
    expect(geometry.body.error.details.issues).toEqual([
      "layout.crossAislesAtM[1]: duplicate cross aisle at 7",
      "picks[0].aisle: must be an aisle from 0 to 3 (got 4)",
      "picks[1].yM: must lie within the aisle, 0 to 10 (got 12)",
    ]);
    const tooMany = await post({ layout, picks: Array.from({ length: 501 }, () => ({ aisle: 0, yM: 1 })) }, apiKey);
    expect(tooMany.status).toBe(400);
    expect((await loader()).status).toBe(405);
  });
});
