// `npm run check:stock`: does stock add up in every shop of DATABASE_URL? Per level (variant × location):
// ledger sums = on hand and reserved, open reservations = reserved, no negative bucket. Prints each
// discrepancy (or "ok" per shop) and exits 1 if there is any. Safe while the app runs (one read snapshot
// per shop). `--json` prints one JSON document instead. The demo's data: DATABASE_URL=file:.demo/demo.db.

import { closeAppDatabase } from "../app/.server/db/database";
import { checkStockConsistencyOfAllShops } from "../app/.server/use-cases/check-stock-consistency";

const results = await checkStockConsistencyOfAllShops();
const discrepancies = results.reduce((n, r) => n + r.discrepancies.length, 0);
if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ ok: discrepancies === 0, shops: results }, null, 2));
} else {
  for (const shop of results) {
    if (shop.discrepancies.length === 0) console.log(`ok    ${shop.domain}`);
    for (const d of shop.discrepancies) {
      console.log(`DRIFT ${shop.domain} ${d.kind}: ${d.sku ?? d.variantId} at ${d.location ?? d.locationId}: level ${d.level}, expected ${d.expected}`);
    }
  }
  console.log(discrepancies === 0 ? `stock consistent in ${results.length} shop(s)` : `${discrepancies} discrepanc${discrepancies === 1 ? "y" : "ies"} in ${results.filter((r) => r.discrepancies.length > 0).length} shop(s)`);
}
await closeAppDatabase();
process.exit(discrepancies === 0 ? 0 : 1);
