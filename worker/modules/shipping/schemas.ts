import { z } from "@hono/zod-openapi";
import { ProvinceSchema } from "../addresses/schemas";

/** ¥10,000 per package is far above a real fee and keeps sums over many packages inside safe integers. */
const MAX_FEE_FEN = 1_000_000;
/** 1,000 kg: more than a real parcel, and it bounds the step count. */
const MAX_GRAMS = 1_000_000;

const Fen = z.number().int().min(0).max(MAX_FEE_FEN);
const Grams = z.number().int().min(1).max(MAX_GRAMS);

export const RemoteSurchargesSchema = z.partialRecord(ProvinceSchema, Fen).openapi({
  description: "Extra fen per package by province (official names); never waived",
  example: { 新疆维吾尔自治区: 1500 },
});

export const ShippingTemplateBody = z
  .strictObject({
    mode: z.enum(["flat", "weight"]).openapi({ description: "flat: baseFen per package; weight: by weight" }),
    baseFen: Fen.openapi({ description: "Flat fee, or the fee for the first firstWeightGrams", example: 1000 }),
    firstWeightGrams: Grams.default(1000),
    stepGrams: Grams.default(1000).openapi({ description: "Each started step beyond the first weight costs stepFen" }),
    stepFen: Fen.default(0),
    freeOverFen: z
      .number()
      .int()
      .min(0)
      .max(100_000_000)
      .nullable()
      .default(null)
      .openapi({ description: "Free when the package's goods total reaches this; null = never free" }),
    remoteSurcharges: RemoteSurchargesSchema.default({}),
  })
  .openapi("ShippingTemplateInput");
export type ShippingTemplateInput = z.infer<typeof ShippingTemplateBody>;

export const ShippingTemplateSchema = z
  .object({
    mode: z.enum(["flat", "weight"]),
    baseFen: z.number().int(),
    firstWeightGrams: z.number().int(),
    stepGrams: z.number().int(),
    stepFen: z.number().int(),
    freeOverFen: z.number().int().nullable(),
    remoteSurcharges: z.record(z.string(), z.number().int()),
    updatedAtMs: z.number().int(),
  })
  .openapi("ShippingTemplate");
export type ShippingTemplateView = z.infer<typeof ShippingTemplateSchema>;

export const ShippingTemplateResponse = z
  .object({
    template: ShippingTemplateSchema.nullable().openapi({ description: "null: no template yet, so shipping is free" }),
  })
  .openapi("ShippingTemplateState");
