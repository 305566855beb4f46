import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { methodNotAllowed, onlyMethods, readJsonBody } from "~/.server/api/http";
import { requireApiShop } from "~/.server/auth/api-shop";
import { AppError, errorResponse } from "~/.server/errors";
import { MAX_BATCHING_ORDERS, MAX_CAPACITY_ITEMS, batchRoute, validateBatchingInput } from "~/domain/warehouse/batching";
import { MAX_PICKS } from "~/domain/warehouse/layout";
import { planWavesAndBatches, validateWaveInput } from "~/domain/warehouse/waves";

const location = z.object({ aisle: z.number().int().min(0), yM: z.number().finite().min(0) }).strict();
const body = z
  .object({
    layout: z
      .object({
        aisles: z.number().int().min(1),
        aisleLengthM: z.number().finite().positive(),
        aisleSpacingM: z.number().finite().positive(),
        crossAislesAtM: z.array(z.number().finite()).optional(),
        depot: location,
      })
      .strict(),
    capacityItems: z.number().int().min(1).max(MAX_CAPACITY_ITEMS),
    orders: z
      .array(
        z
          .object({
            id: z.string().min(1).max(120),
            picks: z.array(location.extend({ quantity: z.number().int().min(1).optional() }).strict()).min(1).max(MAX_PICKS),
            carrier: z.string().min(1).max(80).nullable().optional(),
            priority: z.number().int().min(-1000).max(1000).optional(),
            promiseDate: z.string().max(10).nullable().optional(),
          })
          .strict(),
      )
      .max(MAX_BATCHING_ORDERS),
    carriers: z
      .array(z.object({ carrier: z.string().min(1).max(80), cutoffs: z.array(z.string().max(5)).min(1).max(24), weekdays: z.array(z.number().int()).max(7).optional() }).strict())
      .max(50)
      .default([]),
    now: z.string().max(40).optional(),
    utcOffsetMinutes: z.number().int().optional(),
    pickLeadMinutes: z.number().int().optional(),
    algorithm: z.enum(["ils", "savings", "seed", "fcfs"]).optional(),
    seed: z.number().int().min(0).max(2 ** 31).optional(),
  })
  .strict()
  // What needs the whole body: geometry, capacity against each order, carriers named by orders, dates.
  .superRefine((value, ctx) => {
    const waves = { now: value.now ?? new Date().toISOString(), carriers: value.carriers, orders: value.orders, utcOffsetMinutes: value.utcOffsetMinutes, pickLeadMinutes: value.pickLeadMinutes };
    for (const message of new Set([...validateBatchingInput(value.layout, value.orders, value.capacityItems), ...validateWaveInput(waves)])) ctx.addIssue({ code: z.ZodIssueCode.custom, message });
  });

/** Wall-clock cap on each wave's iterated local search; the answer says when it bound (`stoppedBy: "time"`). */
const ILS_TIME_LIMIT_MS = 2_000;
const round = (m: number) => Math.round(m * 1000) / 1000;

// POST /api/v1/pick-batches {layout, capacityItems, orders: [{id, picks: [{aisle, yM, quantity?}], carrier?,
// priority?, promiseDate?}], carriers?: [{carrier, cutoffs: ["HH:MM"], weekdays?}], now?, utcOffsetMinutes?,
// pickLeadMinutes?, algorithm?, seed?} — waves by carrier cut-off, batches within each wave under the cart
// capacity, each batch's route (length and stop sequence) and the first-come-first-served figure beside it
// (ADR 0030). Pure computation: no shop data is read or written, but the caller is authenticated.
export async function action({ request }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const { cors } = await requireApiShop(request);
    const parsed = body.safeParse(await readJsonBody(request));
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => (i.code === z.ZodIssueCode.custom ? i.message : `${i.path.join(".") || "(body)"}: ${i.message}`));
      throw new AppError("invalid_data", "BODY.INVALID", issues.join("; "), { issues });
    }
    const { layout, orders, capacityItems, carriers, utcOffsetMinutes, pickLeadMinutes, algorithm, seed } = parsed.data;
    const now = parsed.data.now ?? new Date().toISOString();
    const waves = planWavesAndBatches(layout, orders, { now, carriers, utcOffsetMinutes, pickLeadMinutes }, { capacityItems, algorithm, seed, timeLimitMs: ILS_TIME_LIMIT_MS });
    const byId = new Map(orders.map((o) => [o.id, o]));
    let lengthM = 0;
    let fcfsLengthM = 0;
    const answer = waves.map(({ batching, fcfsLengthM: waveFcfs, ...wave }) => {
      const batches = batching.batches.map((b) => {
        const route = batchRoute(layout, b.orderIds.map((id) => byId.get(id)!));
        return { orderIds: b.orderIds, items: b.items, lengthM: round(route.lengthM), exact: route.exact, algorithm: route.algorithm, sequence: route.stops };
      });
      const waveLength = batches.reduce((s, b) => s + b.lengthM, 0);
      lengthM += waveLength;
      fcfsLengthM += waveFcfs;
      return { ...wave, lengthM: round(waveLength), fcfsLengthM: round(waveFcfs), ilsIterations: batching.ilsIterations, stoppedBy: batching.stoppedBy, batches };
    });
    return cors(
      Response.json({
        now,
        algorithm: algorithm ?? "ils",
        lengthM: round(lengthM),
        fcfsLengthM: round(fcfsLengthM),
        savingVsFcfsPct: fcfsLengthM > 0 ? Math.round(((fcfsLengthM - lengthM) / fcfsLengthM) * 10000) / 100 : 0,
        waves: answer,
      }),
    );
  } catch (error) {
    return errorResponse(error);
  }
}

export const loader = onlyMethods(["POST"]);
