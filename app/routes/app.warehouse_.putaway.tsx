import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { readForm } from "~/.server/api/http";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { AppError } from "~/.server/errors";
import { confirmPutaway, readPutaways } from "~/.server/use-cases/confirm-putaway";
import { listWarehouseLocations } from "~/.server/use-cases/manage-warehouse";
import { bigButton, handheldPage, Notice, ScanInput } from "~/components/handheld";

// Handheld putaway (issue 13, items 3 and 9; ADR 0029): the received units waiting in the receiving bin (and a
// cancelled order's picked units in the staging bin, ADR 0033), each with where they are and
// the bin to take them to; the worker confirms by scanning that bin (the wrong bin is refused, nothing moves).

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const params = new URL(request.url).searchParams;
  const managed = (await listWarehouseLocations(shop.id)).filter((l) => l.managed);
  const location = managed.find((l) => l.id === params.get("location")) ?? managed[0] ?? null;
  if (!location) return { location: null, open: [], current: null };
  const { open } = await readPutaways(shop.id, location.id);
  return { location, open, current: open.find((p) => p.id === params.get("id")) ?? open[0] ?? null };
}

type ActionResult = { ok: true; message: string } | { ok: false; error: string };

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult> {
  const { shop } = await requireAdminShop(request);
  const form = await readForm(request);
  const field = (name: string) => String(form.get(name) ?? "").trim();
  try {
    const r = await confirmPutaway(shop.id, field("location"), field("id"), { bin: field("bin"), quantity: Number(field("quantity")), worker: field("worker") || "admin" });
    return { ok: true, message: r.applied ? `${r.putaway.quantity} × ${r.putaway.sku} put away in ${r.putaway.bin}.` : `Already put away in ${r.putaway.bin}.` };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.message };
    throw error;
  }
}

export default function Putaway() {
  const { location, open, current } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  if (!location) return <div style={handheldPage}><p>No location is managed by the warehouse module yet.</p><Link to="/app/warehouse">Set one up</Link></div>;
  return (
    <div style={handheldPage}>
      <h1 style={{ fontSize: 22, margin: "4px 0" }}>Putaway at {location.name}</h1>
      {result ? <Notice tone={result.ok ? "ok" : "error"}>{result.ok ? result.message : result.error}</Notice> : null}
      {current ? (
        <Form method="post">
          <input type="hidden" name="location" value={location.id} />
          <input type="hidden" name="id" value={current.id} />
          <input type="hidden" name="quantity" value={current.quantity} />
          <div style={{ fontSize: 22, margin: "12px 0" }}>
            <div>{current.quantity} × <strong>{current.sku}</strong>{current.lot ? ` · lot ${current.lot}` : ""}</div>
            <div style={{ fontSize: 16 }}>from {current.from}</div>
            <div style={{ fontSize: 30, fontWeight: 700, marginTop: 8 }}>{current.suggestedBin ? `→ ${current.suggestedBin}` : "No bin has room"}</div>
            {current.reason ? <div style={{ fontSize: 16 }}>{current.reason}</div> : null}
          </div>
          <ScanInput name="bin" label="Scan the bin, then Enter" resetKey={result} />
          <button type="submit" disabled={busy} style={{ ...bigButton, background: "#303030", color: "#fff" }}>Confirm</button>
        </Form>
      ) : (
        <p>Nothing waiting in the receiving bin.</p>
      )}
      {open.length > 1 ? <h2 style={{ fontSize: 18, marginTop: 16 }}>Waiting ({open.length})</h2> : null}
      {open.filter((p) => p.id !== current?.id).map((p) => (
        <Link key={p.id} to={`?location=${location.id}&id=${p.id}`} style={{ ...bigButton, display: "flex", alignItems: "center", padding: "0 12px", textDecoration: "none", color: "inherit", boxSizing: "border-box" }}>
          {p.quantity} × {p.sku} {p.from} → {p.suggestedBin ?? "?"}
        </Link>
      ))}
      <p><Link to={`/app/warehouse/receive?location=${location.id}`}>Receiving</Link> · <Link to={`/app/warehouse?location=${location.id}`}>Warehouse</Link></p>
    </div>
  );
}
