import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Card, DataTable, Page, Text } from "@shopify/polaris";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { inventoryOverview, listLocations } from "~/.server/db/catalog";
import { database } from "~/.server/db/database";
import { available } from "~/domain/inventory/availability";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const [locations, variants] = await Promise.all([listLocations(database(), shop.id), inventoryOverview(database(), shop.id, { take: 250 })]);
  return {
    locations: locations.map((l) => ({ id: l.id, name: l.name })),
    rows: variants.map((v) => ({
      sku: v.sku,
      title: `${v.product.title} — ${v.title}`,
      byLocation: Object.fromEntries(v.inventoryLevels.map((lvl) => [lvl.locationId, { onHand: lvl.onHand, reserved: lvl.reserved, available: available(lvl), incoming: lvl.incoming }])),
    })),
  };
}

export default function Inventory() {
  const { locations, rows } = useLoaderData<typeof loader>();
  return (
    <Page title="Inventory" subtitle="Available = on hand − reserved − safety, per location">
      <Card padding="0">
        {rows.length === 0 ? (
          <div style={{ padding: 16 }}>
            <Text as="p">No SKUs yet: they arrive with the first catalogue sync from Shopify.</Text>
          </div>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", ...locations.map(() => "text" as const)]}
            headings={["SKU", "Item", ...locations.map((l) => `${l.name} (avail / on hand / reserved)`)]}
            rows={rows.map((r) => [
              r.sku,
              r.title,
              ...locations.map((l) => {
                const lvl = r.byLocation[l.id];
                return lvl ? `${lvl.available} / ${lvl.onHand} / ${lvl.reserved}${lvl.incoming ? ` (+${lvl.incoming} incoming)` : ""}` : "—";
              }),
            ])}
          />
        )}
      </Card>
    </Page>
  );
}
