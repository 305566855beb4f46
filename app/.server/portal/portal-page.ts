import type { Journey } from "~/domain/portal/journey";

// The portal's HTML (ADR 0026): a small page of its own, served through Shopify's app proxy. Everything shown is
// escaped; nothing a customer typed is echoed but the order number and email in the form they typed them into.

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}form{display:grid;gap:.75rem;margin:1rem 0}
input{font:inherit;padding:.6rem;border:1px solid #999;border-radius:6px}button{font:inherit;padding:.7rem;border:0;border-radius:6px;background:#1a1a1a;color:#fff}
ol.steps{display:flex;gap:.5rem;list-style:none;padding:0;flex-wrap:wrap}ol.steps li{padding:.3rem .7rem;border-radius:99px;background:#eee}ol.steps li.done{background:#1a1a1a;color:#fff}
.note{padding:.75rem;border-radius:6px;background:#fff4e5}.problem{padding:.75rem;border-radius:6px;background:#fdecea}section{margin:1.5rem 0}</style></head>
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

export function journeyPage(j: Journey, opts: { action: string }): string {
  const shipments = j.shipments.length === 0
    ? "<p>Nothing has shipped yet.</p>"
    : `<ul>${j.shipments.map((s) => `<li>${escape(s.carrier)}${s.shippedOn ? `, shipped ${escape(s.shippedOn)}` : ""}: ${s.units} item${s.units === 1 ? "" : "s"}${s.tracking.length ? ` — ${s.tracking.map((t) => (t.url ? `<a href="${escape(t.url)}" rel="noopener noreferrer">${escape(t.number)}</a>` : escape(t.number))).join(", ")}` : ""}</li>`).join("")}</ul>`;
  return page(`Order ${j.name}`, `<h1>Order ${escape(j.name)}</h1>
<p>Placed ${escape(j.placedOn)}. <strong>${escape(j.headline)}</strong></p>
<ol class="steps">${j.steps.map((s) => `<li class="${s.done ? "done" : ""}">${escape(s.label)}</li>`).join("")}</ol>
${j.backorder ? `<p class="note">${escape(j.backorder)}</p>` : ""}
<section><h2>Shipments</h2>${shipments}</section>
<p><a href="${escape(opts.action)}">Look up another order</a></p>`);
}

export function refusedPage(message: string): string {
  return page("Not available", `<h1>Not available</h1><p>${escape(message)}</p>`);
}
