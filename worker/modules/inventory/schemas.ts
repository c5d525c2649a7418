/**
 * @module inventory/schemas: what a checkout asks the live inventory for (validated before a counter is called).
 */
import { z } from "@hono/zod-openapi";

/** Units of one SKU in one order line; a cart may name a SKU on several lines (they are summed before holding). */
export const HoldLineSchema = z.strictObject({
  skuId: z.string().regex(/^sku_[0-9A-Za-z_]{1,60}$/, "Not a sku_ id"),
  qty: z.number().int().min(1).max(999),
});
export type HoldLine = z.infer<typeof HoldLineSchema>;

export const HoldRequestSchema = z.strictObject({
  holdGroupId: z.string().trim().min(1).max(120),
  lines: z.array(HoldLineSchema).min(1).max(100),
  /** Between one minute and one hour: long enough to pay, short enough not to lock stock away. */
  ttlMs: z.number().int().min(60_000).max(3_600_000),
});
export type HoldRequest = z.infer<typeof HoldRequestSchema>;

export const DEFAULT_MAX_HELD_UNITS_PER_SHOPPER = 50;
export const DEFAULT_MAX_OPEN_CHECKOUTS_PER_SHOPPER = 3;
