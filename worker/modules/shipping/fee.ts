/**
 * @module shipping/fee: the shipping fee of one supplier's package, as a pure function of its template.
 */

export interface ShippingTemplate {
  mode: "flat" | "weight";
  baseFen: number;
  firstWeightGrams: number;
  stepGrams: number;
  stepFen: number;
  /** Goods totals at or above this ship free (the remote surcharge still applies); null = never free. */
  freeOverFen: number | null;
  /** Extra fen per package by official province name. */
  remoteSurcharges: Partial<Record<string, number>>;
}

export interface ShippingPackage {
  goodsFen: number;
  weightGrams: number;
  province: string;
}

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer`);
}

/**
 * The fee in fen for one package. A supplier without a template ships free by default (returns 0).
 * - flat: `baseFen` whatever the weight;
 * - weight: `baseFen` covers the first `firstWeightGrams` (a package of 0 g still pays it), then `stepFen` for each
 *   started `stepGrams` beyond: `baseFen + ceil((w − first) / step) × stepFen`;
 * - free when `goodsFen ≥ freeOverFen`; the province's remote surcharge is added on top and never waived.
 * @example shippingFeeFen(template, { goodsFen: 5900, weightGrams: 1200, province: "浙江省" }) // 1000 + 1 × 500
 */
export function shippingFeeFen(template: ShippingTemplate | undefined, pkg: ShippingPackage): number {
  assertCount("goodsFen", pkg.goodsFen);
  assertCount("weightGrams", pkg.weightGrams);
  if (!template) return 0;
  const surcharge = Object.hasOwn(template.remoteSurcharges, pkg.province)
    ? (template.remoteSurcharges[pkg.province] ?? 0)
    : 0;
  if (template.freeOverFen !== null && pkg.goodsFen >= template.freeOverFen) return surcharge;
  if (template.mode === "flat") return template.baseFen + surcharge;
  const extraGrams = Math.max(0, pkg.weightGrams - template.firstWeightGrams);
  const steps = Math.ceil(extraGrams / template.stepGrams);
  return template.baseFen + steps * template.stepFen + surcharge;
}
