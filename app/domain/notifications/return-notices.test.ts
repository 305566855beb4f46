import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATES } from "./default-templates";
import { ESSENTIAL, KIND_VARIABLES, LANGUAGES, type NotificationKind } from "./kinds";
import { planNotifications, RETURN_NOTIFYING_ACTIONS, sampleValues, type OrderFacts, type PlanInput, type ReturnNoticeFacts } from "./plan";
import { renderTemplate, templateProblems } from "./render";

// Return e-mails (ADR 0036): one kind per update the returns core records, in English and Spanish, essential (an
// opt-out does not stop them), keyed by the RMA so each is written once, the label link a link in the HTML part.

const RETURN_KINDS: NotificationKind[] = ["return_requested", "return_approved", "return_declined", "return_received", "return_refunded", "return_exchanged"];
const LABEL = "https://shop.myshopify.com/apps/orders?label=R1001&t=abc123";

const order = (over: Partial<OrderFacts> = {}): OrderFacts => ({
  id: "o1", name: "#1001", email: "ana@example.com", customerName: "Ana", channelKind: "shopify", redacted: false, cancelled: false, shipFromLocations: 1, backorderExpectedAt: null, ...over,
});
const rma: ReturnNoticeFacts = { id: "r1", orderId: "o1", number: "R1001", labelUrl: LABEL };
const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  shopName: "Acme", settings: { confirmationEnabled: false, language: "en" }, events: [], orders: new Map([["o1", order()]]), shipments: new Map(),
  optedOut: new Set(), returns: new Map([["r1", rma]]), ...over,
});
const ev = (action: string, data: Record<string, unknown> = {}, returnId = "r1", orderId = "o1") => ({ action, orderId, returnId, data: { orderId, number: "R1001", ...data } });

describe("return e-mail templates", () => {
  it("every return kind has a valid default in English and Spanish naming the RMA, essential", () => {
    for (const kind of RETURN_KINDS) {
      expect(ESSENTIAL[kind]).toBe(true);
      expect(KIND_VARIABLES[kind].map((v) => v.name)).toContain("rmaNumber");
      for (const language of LANGUAGES) {
        const template = DEFAULT_TEMPLATES[kind][language];
        expect(templateProblems(kind, template), `${kind}/${language}`).toEqual([]);
        const rendered = renderTemplate(kind, template, sampleValues(language, "Acme"));
        if (!rendered.ok) throw new Error(rendered.problems.join("; "));
        expect(rendered.message.subject).toContain("R1001");
        expect(rendered.message.text).toContain("R1001");
        expect(rendered.message.text).not.toMatch(/\{\{|\}\}/);
      }
      expect(DEFAULT_TEMPLATES[kind].es.subject).not.toBe(DEFAULT_TEMPLATES[kind].en.subject);
    }
  });

  it("the requested and approved e-mails carry the label link, as a link in HTML; the declined one the merchant's reason", () => {
    const requested = renderTemplate("return_requested", DEFAULT_TEMPLATES.return_requested.es, { shopName: "Acme", orderName: "#1001", customerName: "Ana", rmaNumber: "R1001", labelUrl: LABEL });
    if (!requested.ok) throw new Error(requested.problems.join("; "));
    expect(requested.message.subject).toBe("Devolución R1001 del pedido #1001 solicitada");
    expect(requested.message.text).toContain(`Imprime tu etiqueta de devolución prepagada: ${LABEL}`);
    expect(requested.message.html).toContain(`<a href="${LABEL.replace("&", "&amp;")}">`);
    const declined = renderTemplate("return_declined", DEFAULT_TEMPLATES.return_declined.en, { shopName: "Acme", orderName: "#1001", customerName: "Ana", rmaNumber: "R1001", declineReason: "<b>Worn</b>" });
    if (!declined.ok) throw new Error(declined.problems.join("; "));
    expect(declined.message.text).toContain("Reason: <b>Worn</b>");
    expect(declined.message.html).toContain("Reason: &lt;b&gt;Worn&lt;/b&gt;");
  });

  it("a merchant's template may use the return variables, and no other kind's", () => {
    expect(templateProblems("return_approved", { subject: "RMA {{rmaNumber}}", body: "{{labelUrl}}" })).toEqual([]);
    expect(templateProblems("return_received", { subject: "RMA {{rmaNumber}}", body: "{{labelUrl}}" })).toEqual([expect.stringContaining("{{labelUrl}} is not a variable of this notice")]);
    expect(templateProblems("return_approved", { subject: "x", body: "{{trackingUrl}}" })).toHaveLength(1);
  });
});

describe("which return e-mails the audit trail calls for", () => {
  it("one per return update, keyed by the RMA, with its values; read twice it adds nothing", () => {
    const actions = [...RETURN_NOTIFYING_ACTIONS];
    const drafts = planNotifications(input({ events: [...actions.map((a) => ev(a, a === "return.declined" ? { reason: "Worn" } : {})), ev("return.requested")] }));
    expect(drafts.map((d) => [d.kind, d.key])).toEqual(RETURN_KINDS.map((k) => [k, `${k}:r1`]));
    expect(drafts[0]).toMatchObject({ orderId: "o1", recipient: "ana@example.com", values: { rmaNumber: "R1001", labelUrl: LABEL, orderName: "#1001", customerName: "Ana" } });
    expect(drafts.find((d) => d.kind === "return_declined")!.values).toMatchObject({ declineReason: "Worn" });
    expect(drafts.find((d) => d.kind === "return_received")!.values.labelUrl).toBeUndefined();
  });

  it("not for other return events, an RMA of another order, an unknown RMA or a forgotten customer; an opt-out does not stop them", () => {
    expect(planNotifications(input({ events: [ev("return.in_transit"), ev("return.label_issued"), ev("return.closed")] }))).toEqual([]);
    expect(planNotifications(input({ events: [ev("return.approved", {}, "r1", "o2")], orders: new Map([["o1", order()], ["o2", order({ id: "o2" })]]) }))).toEqual([]);
    expect(planNotifications(input({ events: [ev("return.approved", {}, "r9")] }))).toEqual([]);
    expect(planNotifications(input({ events: [ev("return.approved")], orders: new Map([["o1", order({ redacted: true })]]) }))).toEqual([]);
    expect(planNotifications(input({ events: [ev("return.approved")], optedOut: new Set(["ana@example.com"]) }))).toHaveLength(1);
  });
});
