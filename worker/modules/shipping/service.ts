/**
 * @module shipping/service: suppliers' shipping templates and the quote checkout asks for. Each supplier ships its
 * own package (一件代发), so an order pays one fee per supplier.
 */
import { z } from "zod";
import { AppError } from "../../errors";
import { assertApprovedSupplier } from "../catalog/service";
import { type ShippingTemplate, shippingFeeFen } from "./fee";
import { findTemplate, findTemplates, type ShippingTemplateRow, upsertTemplate } from "./repository";
import type { ShippingTemplateInput, ShippingTemplateView } from "./schemas";

const StoredSurcharges = z.record(z.string(), z.number().int().min(0));

/** A stored surcharge list that does not parse is a fault, not "no surcharge": undercharging silently costs money. */
function templateOf(row: ShippingTemplateRow): ShippingTemplate & { updatedAtMs: number } {
  let surcharges: Record<string, number>;
  try {
    surcharges = StoredSurcharges.parse(JSON.parse(row.remoteSurcharges));
  } catch {
    throw new AppError("internal_error", `Shipping template of ${row.supplierId} has unreadable surcharges`);
  }
  return {
    mode: row.mode,
    baseFen: row.baseFen,
    firstWeightGrams: row.firstWeightGrams,
    stepGrams: row.stepGrams,
    stepFen: row.stepFen,
    freeOverFen: row.freeOverFen,
    remoteSurcharges: surcharges,
    updatedAtMs: row.updatedAtMs,
  };
}

function view(row: ShippingTemplateRow): ShippingTemplateView {
  const { remoteSurcharges, ...rest } = templateOf(row);
  const clean: Record<string, number> = {};
  for (const [province, fen] of Object.entries(remoteSurcharges)) if (fen !== undefined) clean[province] = fen;
  return { ...rest, remoteSurcharges: clean };
}

export async function shippingTemplateOf(
  d1: D1Database,
  supplierId: string,
): Promise<{ template: ShippingTemplateView | null }> {
  const row = await findTemplate(d1, supplierId);
  return { template: row ? view(row) : null };
}

/** Only an approved supplier sells, so only an approved one sets what its packages cost. */
export async function saveShippingTemplate(
  d1: D1Database,
  supplierId: string,
  input: ShippingTemplateInput,
): Promise<{ template: ShippingTemplateView | null }> {
  await assertApprovedSupplier(d1, supplierId);
  await upsertTemplate(
    d1,
    supplierId,
    {
      mode: input.mode,
      baseFen: input.baseFen,
      firstWeightGrams: input.firstWeightGrams,
      stepGrams: input.stepGrams,
      stepFen: input.stepFen,
      freeOverFen: input.freeOverFen,
      remoteSurcharges: JSON.stringify(input.remoteSurcharges),
    },
    Date.now(),
  );
  return shippingTemplateOf(d1, supplierId);
}

export interface PackageToQuote {
  supplierId: string;
  goodsFen: number;
  weightGrams: number;
}

export interface ShippingQuote {
  packages: (PackageToQuote & { feeFen: number })[];
  totalFen: number;
}

/**
 * The fee of each supplier's package to `province` and their sum, in fen. Suppliers without a template ship free.
 * @example const { totalFen } = await quoteShipping(env.DB, [{ supplierId, goodsFen: 5900, weightGrams: 800 }], "浙江省")
 */
export async function quoteShipping(
  d1: D1Database,
  packages: PackageToQuote[],
  province: string,
): Promise<ShippingQuote> {
  const rows = await findTemplates(d1, [...new Set(packages.map((p) => p.supplierId))]);
  const templates = new Map(rows.map((row) => [row.supplierId, templateOf(row)]));
  const quoted = packages.map((pkg) => ({
    ...pkg,
    feeFen: shippingFeeFen(templates.get(pkg.supplierId), {
      goodsFen: pkg.goodsFen,
      weightGrams: pkg.weightGrams,
      province,
    }),
  }));
  return { packages: quoted, totalFen: quoted.reduce((sum, pkg) => sum + pkg.feeFen, 0) };
}
