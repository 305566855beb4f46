import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { readForm } from "~/.server/api/http";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { AppError } from "~/.server/errors";
import { listWarehouseLocations } from "~/.server/use-cases/manage-warehouse";
import { closePackage, listReadyToPack, packScan, readPack } from "~/.server/use-cases/pick-pack-ship";
import { bigButton, bigInput, handheldPage, Notice, ScanInput, linkButton } from "~/components/handheld";

// Handheld packing (issue 13, items 6 and 9; ADR 0033): choose an order whose picking is finished, scan every picked
// item (anything not picked for the order is refused), then close the package with weight, carrier and tracking.
// The order becomes packed; a job creates the fulfillment in Shopify and the order becomes shipped.

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const params = new URL(request.url).searchParams;
  const managed = (await listWarehouseLocations(shop.id)).filter((l) => l.managed);
  const location = managed.find((l) => l.id === params.get("location")) ?? managed[0] ?? null;
  if (!location) return { location: null, ready: [], pack: null };
  const ready = await listReadyToPack(shop.id, location.id);
  const orderId = params.get("order");
  const pack = orderId ? await readPack(shop.id, location.id, orderId).catch(() => null) : null;
  return { location, ready, pack };
}

type ActionResult = { ok: true; message: string } | { ok: false; error: string };

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult> {
  const { shop } = await requireAdminShop(request);
  const form = await readForm(request);
  const field = (name: string) => String(form.get(name) ?? "").trim();
  const worker = field("worker") || "admin";
  const num = (name: string) => (field(name) === "" ? undefined : Number(field(name)));
  try {
    if (field("intent") === "close") {
      const r = await closePackage(shop.id, field("location"), field("order"), {
        carrier: field("carrier"), trackingNumber: field("trackingNumber"), worker,
        packages: [{ weightGrams: Number(field("weightGrams")), ...(num("lengthCm") !== undefined ? { lengthCm: num("lengthCm") } : {}), ...(num("widthCm") !== undefined ? { widthCm: num("widthCm") } : {}), ...(num("heightCm") !== undefined ? { heightCm: num("heightCm") } : {}) }],
      }, { actor: `worker:${worker}` });
      return { ok: true, message: `Package closed (${r.carrier} ${r.trackingNumber}): order ${r.order} is ${r.orderStatus}; the fulfillment is being created in Shopify.` };
    }
    const r = await packScan(shop.id, field("location"), field("order"), { code: field("code"), scanId: field("scanId"), worker });
    return { ok: true, message: r.applied ? `Verified ${field("code")}. ${r.ready ? "Every item verified: close the package." : `${r.missing.map((m) => `${m.sku} ×${m.missing}`).join(", ")} to go.`}` : "Already counted (the same scan again)." };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.message };
    throw error;
  }
}


export default function Pack() {
  const { location, ready, pack } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [session] = useState(() => Math.random().toString(36).slice(2, 10));
  const [seq, setSeq] = useState(0);
  if (!location) return <div style={handheldPage}><p>No location is managed by the warehouse module yet.</p><Link to="/app/warehouse">Set one up</Link></div>;
  if (!pack) {
    return (
      <div style={handheldPage}>
        <h1 style={{ fontSize: 22, margin: "4px 0" }}>Pack at {location.name}</h1>
        {ready.length === 0 ? <p>No picked order waits for packing.</p> : null}
        {ready.map((o) => (
          <Link key={o.orderId} to={`?location=${location.id}&order=${o.orderId}`} style={linkButton}>{o.name ?? o.orderId} · {o.status}</Link>
        ))}
        <p><Link to={`/app/warehouse/pick?location=${location.id}`} style={linkButton}>Picking</Link></p>
        <p><Link to={`/app/warehouse?location=${location.id}`}>Warehouse</Link></p>
      </div>
    );
  }
  return (
    <div style={handheldPage}>
      <h1 style={{ fontSize: 22, margin: "4px 0" }}>Pack order {pack.order}</h1>
      <div data-testid="pack-status" data-order-external-id={pack.orderExternalId} data-fulfillment-id={pack.fulfillmentId ?? ""} style={{ fontSize: 18 }}>Order {pack.orderStatus} · package {pack.status.replace("_", " ")}{pack.trackingNumber ? ` · ${pack.carrier} ${pack.trackingNumber}` : ""}</div>
      {pack.error ? <Notice tone="error">Shipping is retried: {pack.error}</Notice> : null}
      {result ? <Notice tone={result.ok ? "ok" : "error"}>{result.ok ? result.message : result.error}</Notice> : null}
      <table style={{ width: "100%", fontSize: 18, marginTop: 8 }} data-testid="pack-items">
        <thead><tr><th align="left">SKU</th><th align="right">Picked</th><th align="right">Verified</th></tr></thead>
        <tbody>{pack.items.map((i) => <tr key={i.sku}><td>{i.sku}</td><td align="right">{i.picked}</td><td align="right">{i.verified === i.picked ? `${i.verified} ✓` : i.verified}</td></tr>)}</tbody>
      </table>
      {pack.status === "not_started" || pack.status === "packing" ? (
        <>
          {!pack.ready ? (
            <Form method="post" onSubmit={() => setTimeout(() => setSeq((n) => n + 1), 0)}>
              <input type="hidden" name="location" value={location.id} />
              <input type="hidden" name="order" value={pack.orderId} />
              <input type="hidden" name="scanId" value={`${session}-${seq}`} />
              <ScanInput name="code" label="Scan each item, then Enter" resetKey={result ?? seq} />
              <button type="submit" disabled={busy} style={bigButton}>Verify</button>
            </Form>
          ) : (
            <Form method="post">
              <input type="hidden" name="intent" value="close" />
              <input type="hidden" name="location" value={location.id} />
              <input type="hidden" name="order" value={pack.orderId} />
              <label style={{ display: "block", marginTop: 8 }}>Weight (g)<input name="weightGrams" inputMode="numeric" required style={bigInput} /></label>
              <div style={{ display: "flex", gap: 8 }}>
                <label style={{ flex: 1 }}>L cm<input name="lengthCm" inputMode="decimal" style={bigInput} /></label>
                <label style={{ flex: 1 }}>W cm<input name="widthCm" inputMode="decimal" style={bigInput} /></label>
                <label style={{ flex: 1 }}>H cm<input name="heightCm" inputMode="decimal" style={bigInput} /></label>
              </div>
              <label style={{ display: "block", marginTop: 8 }}>Carrier<input name="carrier" defaultValue="UPS" required style={bigInput} /></label>
              <label style={{ display: "block", marginTop: 8 }}>Tracking number<input name="trackingNumber" required autoComplete="off" style={bigInput} /></label>
              <button type="submit" disabled={busy} style={{ ...bigButton, background: "#303030", color: "#fff" }}>Close package and ship</button>
            </Form>
          )}
        </>
      ) : (
        <p><Link to={`?location=${location.id}&order=${pack.orderId}`} style={linkButton}>Refresh</Link></p>
      )}
      <p><Link to={`?location=${location.id}`} style={linkButton}>Other orders</Link></p>
      <p><Link to={`/app/warehouse/pick?location=${location.id}`}>Picking</Link> · <Link to={`/app/warehouse?location=${location.id}`}>Warehouse</Link></p>
    </div>
  );
}
