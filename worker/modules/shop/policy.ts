/**
 * @module shop/policy: what other modules read from shop and platform settings — the minimum margin the guardrails
 * use — and the catalog-version bump every listing change carries. Kept apart from shop/service so the listings
 * module can use it while shop/service uses listings (no import cycle).
 */
import { DEFAULT_MIN_MARGIN_BPS } from "../listings/guardrails";
import { catalogBumpStatement, customMargins, findShopSettings, platformSetting } from "./repository";

export const DEFAULT_MIN_MARGIN_KEY = "default_min_margin_bps";

export async function platformMinMarginBps(d1: D1Database): Promise<number> {
  const value = Number(await platformSetting(d1, DEFAULT_MIN_MARGIN_KEY));
  return Number.isInteger(value) && value >= 0 ? value : DEFAULT_MIN_MARGIN_BPS;
}

/** The shop's own minimum margin when it set one, else the platform default. */
export async function minMarginBpsFor(d1: D1Database, merchantId: string): Promise<number> {
  const own = (await findShopSettings(d1, merchantId))?.minMarginBps;
  return own ?? (await platformMinMarginBps(d1));
}

/** The same for many shops with two queries, for work that spans merchants (the auto-pause subscriber). */
export async function minMarginBpsForMany(d1: D1Database, merchantIds: string[]): Promise<Map<string, number>> {
  const [custom, fallback] = await Promise.all([customMargins(d1, merchantIds), platformMinMarginBps(d1)]);
  return new Map(merchantIds.map((id) => [id, custom.get(id) ?? fallback]));
}

/** Put this in the batch of any change to what a shop's pages show: it purges the shop's cached pages. */
export function catalogBump(d1: D1Database, merchantId: string, nowMs: number) {
  return catalogBumpStatement(d1, merchantId, nowMs);
}
