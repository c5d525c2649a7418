import { z } from "@hono/zod-openapi";

const Bps = z.number().int().nullable();

export const SupplierGradeSchema = z
  .object({
    supplierId: z.string(),
    name: z.string(),
    status: z.enum(["pending", "approved", "suspended", "rejected"]),
    createdAtMs: z.number(),
    grade: z.enum(["A", "B", "C"]).nullable().openapi({ description: "null until the first grading run" }),
    scoreBps: Bps.openapi({ description: "0–10000; A ≥ 9000, B ≥ 7500" }),
    onTimeBps: Bps.openapi({ description: "Share of orders dispatched on time" }),
    cancelBps: Bps.openapi({ description: "Share of orders cancelled or out of stock" }),
    refundBps: Bps.openapi({ description: "Share of orders refunded" }),
    priceIndexBps: Bps.openapi({ description: "Median of supply price ÷ category median; 10000 = at the median" }),
    computedAtMs: z.number().nullable(),
    isNew: z.boolean().openapi({ description: "No orders in the window: graded B by rule (新供应商)" }),
  })
  .openapi("SupplierGrade");

export const RecomputeSchema = z
  .object({
    suppliers: z.number().int().openapi({ description: "Approved suppliers graded" }),
    periods: z.array(z.string()).openapi({ description: "The months (YYYY-MM, UTC) the grades cover" }),
    computedAtMs: z.number(),
  })
  .openapi("GradeRecompute");
