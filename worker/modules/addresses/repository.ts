/**
 * @module addresses/repository: shoppers' address books. Every query names the shopper, so one shopper's address id
 * reads as missing to anyone else.
 */
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { database } from "../../db/client";
import { addresses } from "../../db/schema";

export type AddressRow = typeof addresses.$inferSelect;

export interface AddressFields {
  recipientName: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
  postalCode: string | null;
}

const live = (shopperId: string) => and(eq(addresses.shopperId, shopperId), isNull(addresses.deletedAtMs));

export function listLiveAddresses(d1: D1Database, shopperId: string): Promise<AddressRow[]> {
  return database(d1)
    .select()
    .from(addresses)
    .where(live(shopperId))
    .orderBy(desc(addresses.isDefault), desc(addresses.createdAtMs), desc(addresses.id));
}

export async function findLiveAddress(
  d1: D1Database,
  shopperId: string,
  addressId: string,
): Promise<AddressRow | undefined> {
  const [row] = await database(d1)
    .select()
    .from(addresses)
    .where(and(live(shopperId), eq(addresses.id, addressId)))
    .limit(1);
  return row;
}

/**
 * Inserts the address only while the shopper has fewer than `max` live ones, checked in the same statement so two
 * concurrent adds cannot both take the last place. The first address is the default whatever the caller asked.
 */
export function insertIfRoomStatement(
  d1: D1Database,
  shopperId: string,
  row: AddressFields & { id: string; isDefault: boolean },
  max: number,
  nowMs: number,
) {
  return database(d1)
    .insert(addresses)
    .select(sql`SELECT ${row.id}, ${shopperId}, ${row.recipientName}, ${row.phone}, ${row.province}, ${row.city},
         ${row.district}, ${row.detail}, ${row.postalCode},
         CASE WHEN ${row.isDefault ? 1 : 0} = 1
           OR NOT EXISTS (SELECT 1 FROM addresses a WHERE a.shopper_id = ${shopperId} AND a.deleted_at_ms IS NULL)
         THEN 1 ELSE 0 END,
         ${nowMs}, ${nowMs}, NULL
       WHERE (SELECT COUNT(*) FROM addresses a WHERE a.shopper_id = ${shopperId} AND a.deleted_at_ms IS NULL) < ${max}`);
}

/**
 * Makes `addressId` the one default of the shopper in a single statement, so no reader ever sees two or none; only
 * if it is a live address of this shopper (else nothing changes). Rows already right are left alone.
 */
export function setDefaultStatement(d1: D1Database, shopperId: string, addressId: string, nowMs: number) {
  return database(d1)
    .update(addresses)
    .set({
      isDefault: sql`CASE WHEN ${addresses.id} = ${addressId} THEN 1 ELSE 0 END`,
      updatedAtMs: nowMs,
    })
    .where(
      and(
        live(shopperId),
        sql`${addresses.isDefault} <> (CASE WHEN ${addresses.id} = ${addressId} THEN 1 ELSE 0 END)`,
        sql`EXISTS (SELECT 1 FROM addresses a WHERE a.id = ${addressId} AND a.shopper_id = ${shopperId}
              AND a.deleted_at_ms IS NULL)`,
      ),
    );
}

export function updateAddressStatement(
  d1: D1Database,
  shopperId: string,
  addressId: string,
  fields: AddressFields,
  nowMs: number,
) {
  return database(d1)
    .update(addresses)
    .set({ ...fields, updatedAtMs: nowMs })
    .where(and(live(shopperId), eq(addresses.id, addressId)));
}

export function softDeleteStatement(d1: D1Database, shopperId: string, addressId: string, nowMs: number) {
  return database(d1)
    .update(addresses)
    .set({ deletedAtMs: nowMs, isDefault: false, updatedAtMs: nowMs })
    .where(and(live(shopperId), eq(addresses.id, addressId)));
}

/** When the shopper has live addresses but no default (the default was deleted), the newest one becomes it. */
export function promoteNewestStatement(d1: D1Database, shopperId: string, nowMs: number) {
  return database(d1)
    .update(addresses)
    .set({ isDefault: true, updatedAtMs: nowMs })
    .where(
      and(
        eq(addresses.shopperId, shopperId),
        sql`${addresses.id} = (SELECT a.id FROM addresses a WHERE a.shopper_id = ${shopperId}
              AND a.deleted_at_ms IS NULL ORDER BY a.created_at_ms DESC, a.id DESC LIMIT 1)`,
        sql`NOT EXISTS (SELECT 1 FROM addresses a WHERE a.shopper_id = ${shopperId}
              AND a.deleted_at_ms IS NULL AND a.is_default = 1)`,
      ),
    );
}
