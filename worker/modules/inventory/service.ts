/**
 * @module inventory/service: holds, confirms and releases stock for a checkout across the SKUs' live counters.
 *
 * Who is right about stock: the SKU's `InventoryCounter` Durable Object is the authority on what can be sold;
 * D1 `skus.stock` is what listings and the storefront show, and follows the counter eventually:
 * - a supplier's change (catalog writes `skus.stock`, emits `sku.supply_changed`) reaches the counter through the
 *   `inventory-sync` subscriber (`setStock(eventId, stock, occurredAtMs)`: idempotent, older counts ignored);
 * - after a confirm or a restock this service writes the counter's new on-hand figure back to `skus.stock`, with
 *   the counter's version, so of two writes racing to D1 the later figure wins whatever order they land in;
 * - a counter that was never set answers `not_initialised`; it is seeded once from D1 (`setStock("init", …)`).
 *
 * A hold group is one checkout attempt: its hold ids are `${holdGroupId}:${skuId}`, so a retried call re-uses them;
 * once a group failed or was released, its ids stay closed and a new attempt needs a new group id.
 */
import type { HoldResult } from "../../../durable-objects/inventory-counter";
import type { OpenGroupResult, ShopperLimits } from "../../../durable-objects/shopper-holds";
import { database } from "../../db/client";
import { mirrorSkuStock, skuStockFigures } from "../catalog/sku-service";
import { DEFAULT_MAX_HELD_UNITS_PER_SHOPPER, DEFAULT_MAX_OPEN_CHECKOUTS_PER_SHOPPER, type HoldLine } from "./schemas";

export type HoldAllResult =
  | { ok: true; holdGroupId: string; expiresAtMs: number; lines: { skuId: string; qty: number; available: number }[] }
  | { ok: false; reason: "insufficient"; skuId: string; available: number }
  | { ok: false; reason: "expired" | "hold_mismatch" | "unknown_sku"; skuId: string }
  | Exclude<OpenGroupResult, { ok: true }>;

export type ConfirmAllResult =
  | { ok: true; skus: { skuId: string; onHand: number; version: number }[] }
  | { ok: false; reason: "expired" | "unknown_hold"; skuIds: string[]; confirmed: string[] };

export interface ShopperOption {
  /** When given, the shopper's hold limits apply and the group is tracked per shopper. */
  shopperId?: string;
  nowMs?: number;
}

export function holdIdOf(holdGroupId: string, skuId: string): string {
  return `${holdGroupId}:${skuId}`;
}

/** One line per SKU, quantities added up, in a stable order (two lines of one SKU must not be held separately). */
export function mergeLines(lines: HoldLine[]): HoldLine[] {
  const totals = new Map<string, number>();
  for (const line of lines) totals.set(line.skuId, (totals.get(line.skuId) ?? 0) + line.qty);
  return [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([skuId, qty]) => ({ skuId, qty }));
}

function positiveInt(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) && parsed > 0 ? parsed : fallback;
}

export function shopperLimits(env: Env): ShopperLimits {
  return {
    maxUnits: positiveInt(env.MAX_HELD_UNITS_PER_SHOPPER, DEFAULT_MAX_HELD_UNITS_PER_SHOPPER),
    maxCheckouts: positiveInt(env.MAX_OPEN_CHECKOUTS_PER_SHOPPER, DEFAULT_MAX_OPEN_CHECKOUTS_PER_SHOPPER),
  };
}

/** Seeds a never-set counter from D1 once; false when D1 has no such SKU. */
async function initialise(env: Env, skuId: string): Promise<boolean> {
  const [row] = await skuStockFigures(env.DB, [skuId]);
  if (!row) return false;
  // Dated with the row's last change, so a supplier event newer than what D1 showed still applies afterwards.
  await env.INVENTORY.getByName(skuId).setStock("init", row.stock, row.updatedAtMs);
  return true;
}

async function holdOne(
  env: Env,
  skuId: string,
  holdId: string,
  qty: number,
  ttlMs: number,
  nowMs: number,
): Promise<HoldResult | { ok: false; reason: "unknown_sku" }> {
  const stub = env.INVENTORY.getByName(skuId);
  const first = await stub.hold(holdId, qty, ttlMs, nowMs);
  if (first.ok || first.reason !== "not_initialised") return first;
  if (!(await initialise(env, skuId))) return { ok: false, reason: "unknown_sku" };
  return stub.hold(holdId, qty, ttlMs, nowMs);
}

/**
 * Holds every line for `ttlMs`, all or nothing: when one SKU is short, the holds taken for the others are released
 * and the first refusal is returned.
 * @example const held = await holdAll(env, `chk_${key}`, [{ skuId, qty: 2 }], 15 * 60_000, { shopperId });
 */
export async function holdAll(
  env: Env,
  holdGroupId: string,
  lines: HoldLine[],
  ttlMs: number,
  options: ShopperOption = {},
): Promise<HoldAllResult> {
  const nowMs = options.nowMs ?? Date.now();
  const merged = mergeLines(lines);
  const expiresAtMs = nowMs + ttlMs;
  if (options.shopperId) {
    const units = merged.reduce((sum, line) => sum + line.qty, 0);
    const shopper = env.SHOPPER_HOLDS.getByName(options.shopperId);
    const opened = await shopper.open(holdGroupId, units, expiresAtMs, shopperLimits(env), nowMs);
    if (!opened.ok) return opened;
  }
  const settled = await Promise.allSettled(
    merged.map((line) => holdOne(env, line.skuId, holdIdOf(holdGroupId, line.skuId), line.qty, ttlMs, nowMs)),
  );
  const held: { skuId: string; qty: number; available: number }[] = [];
  let refusal: Exclude<HoldAllResult, { ok: true }> | undefined;
  let failure: unknown;
  settled.forEach((outcome, i) => {
    const line = merged[i];
    if (!line) return;
    if (outcome.status === "rejected") {
      failure ??= outcome.reason;
      return;
    }
    const result = outcome.value;
    if (result.ok) held.push({ skuId: line.skuId, qty: line.qty, available: result.available });
    else if (!refusal) refusal = refusalOf(line.skuId, result);
  });
  if (!refusal && failure === undefined) return { ok: true, holdGroupId, expiresAtMs, lines: held };
  // A hold that threw may still have happened: release it too (a release before its hold leaves a tombstone).
  const taken = failure === undefined ? held.map((h) => h.skuId) : merged.map((l) => l.skuId);
  await releaseAll(env, holdGroupId, taken, options);
  if (failure !== undefined) throw failure;
  if (!refusal) throw new Error("unreachable: no refusal and no failure");
  return refusal;
}

function refusalOf(
  skuId: string,
  result: Exclude<HoldResult, { ok: true }> | { ok: false; reason: "unknown_sku" },
): Exclude<HoldAllResult, { ok: true }> {
  if (result.reason === "insufficient")
    return { ok: false, reason: "insufficient", skuId, available: result.available };
  // not_initialised after seeding means the seed itself was refused: treat the SKU as unknown.
  if (result.reason === "not_initialised") return { ok: false, reason: "unknown_sku", skuId };
  return { ok: false, reason: result.reason, skuId };
}

/** Writes the counters' on-hand figures to `skus.stock` in one D1 batch. */
async function mirror(env: Env, figures: { skuId: string; onHand: number; version: number }[]): Promise<void> {
  const [first, ...rest] = figures.map((f) => mirrorSkuStock(env.DB, f.skuId, f.onHand, f.version));
  if (first) await database(env.DB).batch([first, ...rest]);
}

/**
 * The order is paid: each SKU's hold leaves its on-hand stock. Holds that expired meanwhile are reported, not
 * re-held: the caller decides between refunding and holding again.
 */
export async function confirmAll(
  env: Env,
  holdGroupId: string,
  skuIds: string[],
  options: ShopperOption = {},
): Promise<ConfirmAllResult> {
  const unique = [...new Set(skuIds)];
  const results = await Promise.all(
    unique.map(async (skuId) => ({
      skuId,
      result: await env.INVENTORY.getByName(skuId).confirm(holdIdOf(holdGroupId, skuId), options.nowMs),
    })),
  );
  const confirmed = results.flatMap(({ skuId, result }) =>
    result.ok ? [{ skuId, onHand: result.onHand, version: result.version }] : [],
  );
  await mirror(env, confirmed);
  if (options.shopperId) await env.SHOPPER_HOLDS.getByName(options.shopperId).close(holdGroupId);
  const failed = results.flatMap(({ skuId, result }) => (result.ok ? [] : [{ skuId, reason: result.reason }]));
  if (failed.length === 0) return { ok: true, skus: confirmed };
  return {
    ok: false,
    reason: failed.some((f) => f.reason === "expired") ? "expired" : "unknown_hold",
    skuIds: failed.map((f) => f.skuId),
    confirmed: confirmed.map((c) => c.skuId),
  };
}

/** The checkout was abandoned or failed: gives every hold of the group back. Safe to call again. */
export async function releaseAll(
  env: Env,
  holdGroupId: string,
  skuIds: string[],
  options: ShopperOption = {},
): Promise<{ released: string[]; alreadyConfirmed: string[] }> {
  const unique = [...new Set(skuIds)];
  const results = await Promise.all(
    unique.map(async (skuId) => ({
      skuId,
      result: await env.INVENTORY.getByName(skuId).release(holdIdOf(holdGroupId, skuId), options.nowMs),
    })),
  );
  if (options.shopperId) await env.SHOPPER_HOLDS.getByName(options.shopperId).close(holdGroupId);
  return {
    released: results.filter((r) => r.result.ok).map((r) => r.skuId),
    alreadyConfirmed: results.filter((r) => !r.result.ok).map((r) => r.skuId),
  };
}

/** Units come back (a return, a refund of unshipped goods); `opId` makes a retry harmless. */
export async function restockSku(
  env: Env,
  opId: string,
  skuId: string,
  qty: number,
): Promise<{ ok: true; onHand: number; available: number } | { ok: false; reason: "unknown_sku" }> {
  const stub = env.INVENTORY.getByName(skuId);
  let result = await stub.restock(opId, qty);
  if (!result.ok) {
    if (!(await initialise(env, skuId))) return { ok: false, reason: "unknown_sku" };
    result = await stub.restock(opId, qty);
    if (!result.ok) return { ok: false, reason: "unknown_sku" };
  }
  await mirror(env, [{ skuId, onHand: result.onHand, version: result.version }]);
  return { ok: true, onHand: result.onHand, available: result.available };
}
