/**
 * @module listings/guardrails: the lowest price a merchant may sell a SKU at, in integer fen.
 * floor = max(⌈supply × (10000 + minMarginBps) / 10000⌉, MAP): the margin floor is rounded UP to the fen so a price
 * at the floor never earns less than the promised margin.
 */

/** Used when neither the shop nor the platform has set a minimum margin: 10 % over supply. */
export const DEFAULT_MIN_MARGIN_BPS = 1000;
export const MAX_MIN_MARGIN_BPS = 9000;

export interface FloorInput {
  supplyPriceFen: number;
  mapFen: number | null;
}

/** ⌈numerator / denominator⌉ for non-negative integers, without floating-point division. */
function ceilDiv(numerator: number, denominator: number): number {
  const remainder = numerator % denominator;
  return (numerator - remainder) / denominator + (remainder === 0 ? 0 : 1);
}

/**
 * @example priceFloorFen({ supplyPriceFen: 1200, mapFen: null }, 1000) // 1320
 * @example priceFloorFen({ supplyPriceFen: 1001, mapFen: null }, 1000) // 1102 (1101.1 rounded up)
 */
export function priceFloorFen(sku: FloorInput, minMarginBps: number): number {
  const marginFloor = ceilDiv(sku.supplyPriceFen * (10000 + minMarginBps), 10000);
  return Math.max(marginFloor, sku.mapFen ?? 0);
}

/** Which rule sets the floor: the margin over supply, or the supplier's minimum advertised price. */
export function floorCause(sku: FloorInput, minMarginBps: number): "supply" | "map" {
  const marginFloor = ceilDiv(sku.supplyPriceFen * (10000 + minMarginBps), 10000);
  return (sku.mapFen ?? 0) > marginFloor ? "map" : "supply";
}

/** Margin of a retail price over supply in basis points of the retail price (truncated); 0 for a zero price. */
export function marginBps(retailFen: number, supplyPriceFen: number): number {
  if (retailFen <= 0) return 0;
  return Math.trunc(((retailFen - supplyPriceFen) * 10000) / retailFen);
}
