/**
 * @module shop/repository: a merchant's shop settings, platform-wide settings and company-welfare employee codes.
 * Every merchant query names the merchant.
 */
import { and, asc, eq, gt, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import { database } from "../../db/client";
import { platformSettings, shopSettings, welfareCodes } from "../../db/schema";

export type ShopSettingsRow = typeof shopSettings.$inferSelect;
export type WelfareCodeRow = typeof welfareCodes.$inferSelect;

export async function findShopSettings(d1: D1Database, merchantId: string): Promise<ShopSettingsRow | undefined> {
  const [row] = await database(d1).select().from(shopSettings).where(eq(shopSettings.merchantId, merchantId)).limit(1);
  return row;
}

/** The custom margins of several shops at once (shops without a row or without an override are absent). */
export async function customMargins(d1: D1Database, merchantIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < merchantIds.length; i += 90) {
    const rows = await database(d1)
      .select({ merchantId: shopSettings.merchantId, minMarginBps: shopSettings.minMarginBps })
      .from(shopSettings)
      .where(and(inArray(shopSettings.merchantId, merchantIds.slice(i, i + 90)), isNotNull(shopSettings.minMarginBps)));
    for (const row of rows) if (row.minMarginBps !== null) out.set(row.merchantId, row.minMarginBps);
  }
  return out;
}

/**
 * Bumps the shop's catalog version (part of the storefront page cache key). A missing row starts at 2, so the
 * version a reader assumed for "no row" (1) still changes.
 */
export function catalogBumpStatement(d1: D1Database, merchantId: string, nowMs: number) {
  return database(d1)
    .insert(shopSettings)
    .values({ merchantId, catalogVersion: 2, updatedAtMs: nowMs })
    .onConflictDoUpdate({
      target: shopSettings.merchantId,
      set: { catalogVersion: sql`${shopSettings.catalogVersion} + 1`, updatedAtMs: nowMs },
    });
}

/**
 * Sets or clears the shop's logo and bumps the catalog version in the same statement, so cached pages showing the
 * old header are never served again. A missing settings row is created with the defaults.
 */
export function setLogoStatement(d1: D1Database, merchantId: string, logoKey: string | null, nowMs: number) {
  return database(d1)
    .insert(shopSettings)
    .values({ merchantId, logoKey, catalogVersion: 2, updatedAtMs: nowMs })
    .onConflictDoUpdate({
      target: shopSettings.merchantId,
      set: { logoKey, catalogVersion: sql`${shopSettings.catalogVersion} + 1`, updatedAtMs: nowMs },
    });
}

export interface SettingsWrite {
  template: ShopSettingsRow["template"];
  homeSections: string;
  /** undefined leaves the current override as it is. */
  minMarginBps?: number | null;
}

export function upsertSettingsStatement(d1: D1Database, merchantId: string, write: SettingsWrite, nowMs: number) {
  const kept = write.minMarginBps === undefined ? {} : { minMarginBps: write.minMarginBps };
  const set = {
    template: write.template,
    homeSections: write.homeSections,
    catalogVersion: sql`${shopSettings.catalogVersion} + 1`,
    updatedAtMs: nowMs,
    ...kept,
  };
  return database(d1)
    .insert(shopSettings)
    .values({
      merchantId,
      template: write.template,
      homeSections: write.homeSections,
      minMarginBps: write.minMarginBps ?? null,
      catalogVersion: 2,
      updatedAtMs: nowMs,
    })
    .onConflictDoUpdate({ target: shopSettings.merchantId, set });
}

export async function platformSetting(d1: D1Database, key: string): Promise<string | undefined> {
  const [row] = await database(d1).select().from(platformSettings).where(eq(platformSettings.key, key)).limit(1);
  return row?.value;
}

export async function putPlatformSetting(d1: D1Database, key: string, value: string): Promise<void> {
  await database(d1)
    .insert(platformSettings)
    .values({ key, value })
    .onConflictDoUpdate({ target: platformSettings.key, set: { value } });
}

/** Rows per INSERT: three bound parameters each stays under D1's 100-parameter limit. */
const CODES_PER_STATEMENT = 30;

/** Inserts codes this shop does not have yet, in one transaction; returns how many were new. */
export async function insertWelfareCodes(
  d1: D1Database,
  merchantId: string,
  codes: { code: string; label: string }[],
): Promise<number> {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < codes.length; i += CODES_PER_STATEMENT) {
    const chunk = codes.slice(i, i + CODES_PER_STATEMENT);
    statements.push(
      d1
        .prepare(
          `INSERT INTO welfare_codes (merchant_id, code, label) VALUES ${chunk.map(() => "(?, ?, ?)").join(", ")}
           ON CONFLICT (merchant_id, code) DO NOTHING`,
        )
        .bind(...chunk.flatMap((c) => [merchantId, c.code, c.label])),
    );
  }
  if (statements.length === 0) return 0;
  const results = await d1.batch(statements);
  return results.reduce((sum, result) => sum + result.meta.changes, 0);
}

export async function listWelfareCodes(
  d1: D1Database,
  merchantId: string,
  options: { claimed?: boolean; afterCode?: string; limit: number },
): Promise<WelfareCodeRow[]> {
  const conditions = [eq(welfareCodes.merchantId, merchantId)];
  if (options.claimed === true) conditions.push(isNotNull(welfareCodes.claimedByShopperId));
  if (options.claimed === false) conditions.push(isNull(welfareCodes.claimedByShopperId));
  if (options.afterCode !== undefined) conditions.push(gt(welfareCodes.code, options.afterCode));
  return database(d1)
    .select()
    .from(welfareCodes)
    .where(and(...conditions))
    .orderBy(asc(welfareCodes.code))
    .limit(options.limit);
}

/** A code still open to this shopper: unclaimed, or claimed by them in an earlier attempt that did not finish. */
function claimableBy(merchantId: string, code: string, shopperId: string) {
  return and(
    eq(welfareCodes.merchantId, merchantId),
    eq(welfareCodes.code, code),
    or(isNull(welfareCodes.claimedByShopperId), eq(welfareCodes.claimedByShopperId, shopperId)),
  );
}

export async function findClaimableCode(
  d1: D1Database,
  merchantId: string,
  code: string,
  shopperId: string,
): Promise<WelfareCodeRow | undefined> {
  const [row] = await database(d1)
    .select()
    .from(welfareCodes)
    .where(claimableBy(merchantId, code, shopperId))
    .limit(1);
  return row;
}

/** One guarded UPDATE, so two shoppers racing for one code cannot both get it. */
export async function claimCode(
  d1: D1Database,
  merchantId: string,
  code: string,
  shopperId: string,
  nowMs: number,
): Promise<boolean> {
  const rows = await database(d1)
    .update(welfareCodes)
    .set({ claimedByShopperId: shopperId, claimedAtMs: sql`COALESCE(${welfareCodes.claimedAtMs}, ${nowMs})` })
    .where(claimableBy(merchantId, code, shopperId))
    .returning({ code: welfareCodes.code });
  return rows.length === 1;
}
