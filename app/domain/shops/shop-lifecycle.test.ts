import { describe, expect, it } from "vitest";
import { standingOf, webhookIntake } from "./shop-lifecycle";

describe("webhookIntake", () => {
  it("takes data in only from an installed shop; holds it for a domain not installed yet", () => {
    expect(webhookIntake("installed", "orders/create")).toBe("process");
    expect(webhookIntake("unknown", "orders/create")).toBe("hold");
    expect(webhookIntake("uninstalled", "orders/create")).toBe("ignore");
    expect(webhookIntake("redacted", "orders/create")).toBe("drop");
    expect(webhookIntake("uninstalled", "inventory_levels/update")).toBe("ignore");
  });

  it("acts on compliance topics in every state but redacted, where nothing is held any more", () => {
    for (const topic of ["customers/data_request", "customers/redact", "shop/redact", "app/uninstalled"]) {
      expect([webhookIntake("installed", topic), webhookIntake("uninstalled", topic), webhookIntake("unknown", topic)]).toEqual(["process", "process", "process"]);
      expect(webhookIntake("redacted", topic)).toBe("drop");
    }
  });

  it("reads the stored status; no row or anything else is unknown", () => {
    expect([standingOf("installed"), standingOf("uninstalled"), standingOf("redacted"), standingOf(null), standingOf("weird")]).toEqual(["installed", "uninstalled", "redacted", "unknown", "unknown"]);
  });
});
