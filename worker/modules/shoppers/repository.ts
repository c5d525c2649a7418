/**
 * @module shoppers/repository: platform-wide shoppers, their per-shop memberships and one-time codes.
 */
import { and, desc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { database } from "../../db/client";
import { otpCodes, shopperMemberships, shoppers } from "../../db/schema";

export type ShopperRow = typeof shoppers.$inferSelect;
export type OtpRow = typeof otpCodes.$inferSelect;

export async function findShopper(d1: D1Database, shopperId: string): Promise<ShopperRow | undefined> {
  const [row] = await database(d1).select().from(shoppers).where(eq(shoppers.id, shopperId)).limit(1);
  return row;
}

export async function upsertShopperByPhone(
  d1: D1Database,
  phone: string,
  newId: string,
  nowMs: number,
): Promise<ShopperRow> {
  const db = database(d1);
  await db.insert(shoppers).values({ id: newId, phone, createdAtMs: nowMs }).onConflictDoNothing();
  const [row] = await db.select().from(shoppers).where(eq(shoppers.phone, phone)).limit(1);
  if (!row) throw new Error(`shopper for ${phone} vanished after upsert`);
  return row;
}

export async function touchMembership(
  d1: D1Database,
  merchantId: string,
  shopperId: string,
  nowMs: number,
): Promise<void> {
  await database(d1)
    .insert(shopperMemberships)
    .values({ merchantId, shopperId, joinedAtMs: nowMs, lastSeenAtMs: nowMs })
    .onConflictDoUpdate({
      target: [shopperMemberships.merchantId, shopperMemberships.shopperId],
      set: { lastSeenAtMs: nowMs },
    });
}

export async function findMembership(d1: D1Database, merchantId: string, shopperId: string) {
  const [row] = await database(d1)
    .select()
    .from(shopperMemberships)
    .where(and(eq(shopperMemberships.merchantId, merchantId), eq(shopperMemberships.shopperId, shopperId)))
    .limit(1);
  return row;
}

export async function insertOtp(d1: D1Database, row: typeof otpCodes.$inferInsert): Promise<void> {
  await database(d1).insert(otpCodes).values(row);
}

/** The newest unconsumed, unexpired code for this phone on this shop. */
export async function latestLiveOtp(d1: D1Database, merchantId: string, phone: string, nowMs: number) {
  const [row] = await database(d1)
    .select()
    .from(otpCodes)
    .where(
      and(
        eq(otpCodes.merchantId, merchantId),
        eq(otpCodes.phone, phone),
        isNull(otpCodes.consumedAtMs),
        gt(otpCodes.expiresAtMs, nowMs),
      ),
    )
    .orderBy(desc(otpCodes.createdAtMs))
    .limit(1);
  return row;
}

/** Counts a guess only while guesses remain; one UPDATE, so simultaneous guesses cannot overrun the cap. */
export async function takeOtpAttempt(d1: D1Database, otpId: string, maxAttempts: number): Promise<number | undefined> {
  const [row] = await database(d1)
    .update(otpCodes)
    .set({ attempts: sql`${otpCodes.attempts} + 1` })
    .where(and(eq(otpCodes.id, otpId), lt(otpCodes.attempts, maxAttempts)))
    .returning({ attempts: otpCodes.attempts });
  return row?.attempts;
}

/** Marks the code used; false if a concurrent verify consumed it first, so one code yields one session. */
export async function consumeOtp(d1: D1Database, otpId: string, nowMs: number): Promise<boolean> {
  const rows = await database(d1)
    .update(otpCodes)
    .set({ consumedAtMs: nowMs })
    .where(and(eq(otpCodes.id, otpId), isNull(otpCodes.consumedAtMs)))
    .returning({ id: otpCodes.id });
  return rows.length === 1;
}
