import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Card, DataTable, Page } from "@shopify/polaris";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { database } from "~/.server/db/database";
import { orderCountsByChannel } from "~/.server/db/orders";
import { listChannels } from "~/.server/db/shops";
import { ChannelBadge } from "~/components/channel-badge";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const q = database();
  const [channels, counts] = await Promise.all([listChannels(q, shop.id), orderCountsByChannel(q, shop.id)]);
  return { channels: channels.map((c) => ({ id: c.id, kind: c.kind, name: c.name, active: c.active, orders: counts.get(c.id) ?? 0 })) };
}

export default function Channels() {
  const { channels } = useLoaderData<typeof loader>();
  return (
    <Page title="Channels" subtitle="Where orders come from">
      <Card padding="0">
        <DataTable
          columnContentTypes={["text", "text", "text", "numeric"]}
          headings={["Kind", "Name", "State", "Orders stored"]}
          rows={channels.map((c) => [<ChannelBadge key={c.id} kind={c.kind} />, c.name, c.active ? "Active" : "Paused", c.orders])}
        />
      </Card>
    </Page>
  );
}
