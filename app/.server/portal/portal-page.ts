import type { Journey } from "~/domain/portal/journey";
import type { CustomerReturnOptions } from "../use-cases/customer-returns";
import { reasonLabel } from "../use-cases/customer-returns";
import type { ReturnView } from "../use-cases/return-view";

// The portal's HTML (ADR 0026): a small page of its own, served through Shopify's app proxy. Everything shown is
// escaped; nothing a customer typed is echoed but the order number and email in the form they typed them into.

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}form{display:grid;gap:.75rem;margin:1rem 0}
input,select{font:inherit;padding:.6rem;border:1px solid #999;border-radius:6px}button{font:inherit;padding:.7rem;border:0;border-radius:6px;background:#1a1a1a;color:#fff}
ol.steps{display:flex;gap:.5rem;list-style:none;padding:0;flex-wrap:wrap}ol.steps li{padding:.3rem .7rem;border-radius:99px;background:#eee}ol.steps li.done{background:#1a1a1a;color:#fff}
.note{padding:.75rem;border-radius:6px;background:#fff4e5}.problem{padding:.75rem;border-radius:6px;background:#fdecea}section{margin:1.5rem 0}
table{border-collapse:collapse;width:100%}td,th{padding:.4rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}.muted{color:#666;font-size:.9em}</style></head>
<body>${body}</body></html>`;
}

export function lookupForm(opts: { action: string; number?: string; email?: string; problem?: string }): string {
  return page("Find your order", `<h1>Find your order</h1>
${opts.problem ? `<p class="problem" role="alert">${escape(opts.problem)}</p>` : ""}
<form method="post" action="${escape(opts.action)}">
<label>Order number <input name="number" required maxlength="40" autocomplete="off" value="${escape(opts.number ?? "")}" placeholder="#1001"></label>
<label>Email used for the order <input name="email" type="email" required maxlength="254" autocomplete="email" value="${escape(opts.email ?? "")}"></label>
<button type="submit">Show my order</button>
</form>`);
}

export interface ReturnSectionOptions {
  options: CustomerReturnOptions;
  /** The signed ticket naming the order (portal-tokens). */
  ticket: string;
  /** The label link of an RMA (a token only the app can make), or null when it has none yet. */
  labelPath: (number: string, hasLabel: boolean) => string | null;
  problem?: string;
}

const STATUS_WORDS: Record<string, string> = {
  requested: "Requested: we will review it shortly", approved: "Approved: send the items back with the prepaid label", declined: "Declined",
  in_transit: "On its way back to us", received: "Received: we are checking the items", inspected: "Checked: your refund or exchange is being prepared",
  refunded: "Refunded", exchanged: "Exchanged", closed: "Closed",
};
export const returnStatusWords = (status: string) => STATUS_WORDS[status] ?? status;

/** The order's returns so far and, when something can still come back, the "Start a return" form. */
export function returnSection(r: ReturnSectionOptions, action: string): string {
  const existing = r.options.returns.length === 0 ? "" : `<h3>Your returns</h3><ul>${r.options.returns.map((x) => {
    const link = r.labelPath(x.number, x.hasLabel);
    return `<li><strong>${escape(x.number)}</strong> — ${escape(returnStatusWords(x.status))}${link ? ` — <a href="${escape(link)}">Prepaid return label (PDF)</a>` : ""}</li>`;
  }).join("")}</ul>`;
  const returnable = r.options.lines.filter((l) => l.returnable > 0);
  const form = returnable.length === 0
    ? `<p class="muted">Nothing in this order can be returned online right now.${r.options.lines.length ? ` ${escape(r.options.lines.map((l) => l.message).filter((m) => m).slice(0, 3).join(" "))}` : ""}</p>`
    : `<form method="post" action="${escape(action)}"><input type="hidden" name="intent" value="return"><input type="hidden" name="ticket" value="${escape(r.ticket)}">
<table><thead><tr><th>Item</th><th>Quantity</th><th>Reason</th></tr></thead><tbody>${returnable.map((l) => `<tr><td>${escape(l.title)}${l.sku ? `<br><span class="muted">${escape(l.sku)}</span>` : ""}</td>
<td><select name="qty_${escape(l.orderLineId)}" aria-label="Quantity of ${escape(l.title)}">${Array.from({ length: Math.min(l.returnable, 99) + 1 }, (_, n) => `<option value="${n}">${n}</option>`).join("")}</select></td>
<td><select name="reason_${escape(l.orderLineId)}" aria-label="Reason for ${escape(l.title)}">${r.options.reasons.map((reason) => `<option value="${escape(reason)}">${escape(reasonLabel(reason))}</option>`).join("")}</select></td></tr>`).join("")}</tbody></table>
<button type="submit">Start a return</button></form>`;
  return `<section id="returns"><h2>Returns</h2>${r.problem ? `<p class="problem" role="alert">${escape(r.problem)}</p>` : ""}${existing}${form}</section>`;
}

/** The return form again, with what was wrong with the request (the order's journey is one lookup away). */
export function returnFormPage(orderName: string, r: ReturnSectionOptions, action: string): string {
  return page(`Return items of order ${orderName}`, `<h1>Order ${escape(orderName)}</h1>${returnSection(r, action)}<p><a href="${escape(action)}">Look up another order</a></p>`);
}

/** What the customer sees once their return is requested: the RMA, its status and the prepaid label. */
export function returnStartedPage(rma: ReturnView, opts: { action: string; labelPath: string | null; created: boolean }): string {
  return page(`Return ${rma.number}`, `<h1>Return ${escape(rma.number)}</h1>
<p>${opts.created ? "Your return is requested." : "This return was already requested."} Order ${escape(rma.orderName)}.</p>
<p>Status: <strong data-status="${escape(rma.status)}">${escape(returnStatusWords(rma.status))}</strong></p>
<ul>${rma.lines.map((l) => `<li>${l.quantity} × ${escape(l.title)} — ${escape(reasonLabel(l.reason))}</li>`).join("")}</ul>
${opts.labelPath ? `<p><a href="${escape(opts.labelPath)}">Download your prepaid return label (PDF)</a>${rma.label ? ` <span class="muted">${escape(rma.label.carrier)}, tracking ${escape(rma.label.trackingNumber)}</span>` : ""}</p>` : "<p>Your prepaid return label is being prepared; we will e-mail it to you.</p>"}
<p><a href="${escape(opts.action)}">Look up another order</a></p>`);
}

export function journeyPage(j: Journey, opts: { action: string; returns?: ReturnSectionOptions }): string {
  const shipments = j.shipments.length === 0
    ? "<p>Nothing has shipped yet.</p>"
    : `<ul>${j.shipments.map((s) => `<li>${escape(s.carrier)}${s.shippedOn ? `, shipped ${escape(s.shippedOn)}` : ""}: ${s.units} item${s.units === 1 ? "" : "s"}${s.tracking.length ? ` — ${s.tracking.map((t) => (t.url ? `<a href="${escape(t.url)}" rel="noopener noreferrer">${escape(t.number)}</a>` : escape(t.number))).join(", ")}` : ""}</li>`).join("")}</ul>`;
  return page(`Order ${j.name}`, `<h1>Order ${escape(j.name)}</h1>
<p>Placed ${escape(j.placedOn)}. <strong>${escape(j.headline)}</strong></p>
<ol class="steps">${j.steps.map((s) => `<li class="${s.done ? "done" : ""}">${escape(s.label)}</li>`).join("")}</ol>
${j.backorder ? `<p class="note">${escape(j.backorder)}</p>` : ""}
<section><h2>Shipments</h2>${shipments}</section>
${opts.returns ? returnSection(opts.returns, opts.action) : ""}
<p><a href="${escape(opts.action)}">Look up another order</a></p>`);
}

export function refusedPage(message: string): string {
  return page("Not available", `<h1>Not available</h1><p>${escape(message)}</p>`);
}

/** The confirm page of an unsubscribe link (ADR 0038): nothing changes until the customer presses the button (a POST). */
export function unsubscribeConfirmPage(opts: { action: string; token: string; shopName: string; maskedEmail: string; alreadyOptedOut: boolean }): string {
  return page("Unsubscribe", `<h1>Unsubscribe</h1>
${opts.alreadyOptedOut ? `<p class="note">${escape(opts.maskedEmail)} is already unsubscribed from ${escape(opts.shopName)}'s optional e-mails.</p>` : ""}
<p>Stop optional e-mails from ${escape(opts.shopName)} (like order confirmations and split-shipment notices) to <strong>${escape(opts.maskedEmail)}</strong>?
Messages you need about your orders — backorders, shipping and returns — still come.</p>
<form method="post" action="${escape(opts.action)}"><input type="hidden" name="intent" value="unsubscribe"><input type="hidden" name="token" value="${escape(opts.token)}">
<button type="submit">Unsubscribe</button></form>`);
}

export function unsubscribedPage(opts: { shopName: string; maskedEmail: string }): string {
  return page("Unsubscribed", `<h1>You are unsubscribed</h1>
<p>${escape(opts.maskedEmail)} will no longer receive optional e-mails from ${escape(opts.shopName)}. Messages you need about your orders (backorders, shipping, returns) still come.</p>`);
}
