import { describe, expect, it } from "vitest";
import { parseJsonKeepingBigInts } from "../shared/safe-json";
import { mapOrderEdit } from "./map-order-edit";

describe("mapOrderEdit", () => {
  it("names the edited order (exact id) and the lines added and removed", () => {
    const raw = `{"order_edit":{"id":5000000000000000500,"order_id":5000000000000000001,"committed_at":"2026-11-21T10:00:00-05:00","line_items":{"additions":[{"id":5000000000000000021,"delta":2}],"removals":[{"id":5000000000000000011,"delta":1}]}}}`;
    expect(mapOrderEdit(parseJsonKeepingBigInts(raw))).toEqual({
      ok: true,
      edit: {
        editId: "5000000000000000500", orderExternalId: "5000000000000000001", committedAt: "2026-11-21T10:00:00-05:00",
        additions: [{ lineExternalId: "5000000000000000021", delta: 2 }], removals: [{ lineExternalId: "5000000000000000011", delta: 1 }],
      },
    });
  });

  it("rejects a full order (the orders/updated shape) or a missing order id", () => {
    expect(mapOrderEdit({ id: 1, line_items: [] })).toMatchObject({ ok: false, error: expect.stringMatching(/order_edit/) });
    expect(mapOrderEdit({ order_edit: { id: 1, line_items: { additions: [], removals: [] } } })).toMatchObject({ ok: false, error: expect.stringMatching(/order_id/) });
  });

  it("refuses an edit that adds more units than a line may hold, naming the field", () => {
    const raw = `{"order_edit":{"id":1,"order_id":2,"line_items":{"additions":[{"id":3,"delta":1000000000000}],"removals":[]}}}`;
    expect(mapOrderEdit(parseJsonKeepingBigInts(raw))).toMatchObject({ ok: false, error: expect.stringMatching(/order_edit\.line_items\.additions\.0\.delta: more than the limit of 1000000 units/) });
  });
});
