/**
 * @module addresses/service: a shopper's address book. Shoppers are platform-wide, so the book belongs to the
 * shopper and is the same on every shop; exactly one live address is the default whenever there is any.
 */
import { database } from "../../db/client";
import { AppError } from "../../errors";
import { newId } from "../../lib/crypto";
import {
  type AddressFields,
  type AddressRow,
  findLiveAddress,
  insertIfRoomStatement,
  listLiveAddresses,
  promoteNewestStatement,
  setDefaultStatement,
  softDeleteStatement,
  updateAddressStatement,
} from "./repository";
import { type AddressView, type CreateAddressInput, MAX_ADDRESSES, type UpdateAddressInput } from "./schemas";

function view(row: AddressRow): AddressView {
  return {
    id: row.id,
    recipientName: row.recipientName,
    phone: row.phone,
    province: row.province,
    city: row.city,
    district: row.district,
    detail: row.detail,
    postalCode: row.postalCode,
    isDefault: row.isDefault,
    createdAtMs: row.createdAtMs,
    updatedAtMs: row.updatedAtMs,
  };
}

function fieldsOf(input: UpdateAddressInput): AddressFields {
  return {
    recipientName: input.recipientName,
    phone: input.phone,
    province: input.province,
    city: input.city,
    district: input.district,
    detail: input.detail,
    postalCode: input.postalCode ?? null,
  };
}

/** Another shopper's address answers exactly like a missing one, so ids reveal nothing across shoppers. */
async function ownAddress(d1: D1Database, shopperId: string, addressId: string): Promise<AddressRow> {
  const row = await findLiveAddress(d1, shopperId, addressId);
  if (!row) throw new AppError("not_found", `No address ${addressId}`);
  return row;
}

export async function addressBookOf(d1: D1Database, shopperId: string) {
  return { items: (await listLiveAddresses(d1, shopperId)).map(view), max: MAX_ADDRESSES };
}

export async function createAddress(
  d1: D1Database,
  shopperId: string,
  input: CreateAddressInput,
): Promise<AddressView> {
  const id = newId("adr");
  const nowMs = Date.now();
  const insert = insertIfRoomStatement(
    d1,
    shopperId,
    { id, ...fieldsOf(input), isDefault: input.isDefault === true },
    MAX_ADDRESSES,
    nowMs,
  );
  // The default switch runs in the same transaction and is a no-op when the insert found the book full.
  const [inserted] = input.isDefault
    ? await database(d1).batch([insert, setDefaultStatement(d1, shopperId, id, nowMs)])
    : await database(d1).batch([insert]);
  if (inserted.meta.changes !== 1) {
    throw new AppError("address_book_full", `An address book holds at most ${MAX_ADDRESSES} addresses`, {
      extensions: { max: MAX_ADDRESSES },
    });
  }
  return view(await ownAddress(d1, shopperId, id));
}

export async function updateAddress(
  d1: D1Database,
  shopperId: string,
  addressId: string,
  input: UpdateAddressInput,
): Promise<AddressView> {
  const result = await updateAddressStatement(d1, shopperId, addressId, fieldsOf(input), Date.now());
  if (result.meta.changes !== 1) throw new AppError("not_found", `No address ${addressId}`);
  return view(await ownAddress(d1, shopperId, addressId));
}

/** Soft delete: orders keep their own snapshot, so nothing else points at the row. A deleted default is replaced. */
export async function deleteAddress(d1: D1Database, shopperId: string, addressId: string): Promise<void> {
  const nowMs = Date.now();
  const [deleted] = await database(d1).batch([
    softDeleteStatement(d1, shopperId, addressId, nowMs),
    promoteNewestStatement(d1, shopperId, nowMs),
  ]);
  if (deleted.meta.changes !== 1) throw new AppError("not_found", `No address ${addressId}`);
}

export async function makeDefaultAddress(d1: D1Database, shopperId: string, addressId: string): Promise<AddressView> {
  await ownAddress(d1, shopperId, addressId);
  await database(d1).batch([setDefaultStatement(d1, shopperId, addressId, Date.now())]);
  return view(await ownAddress(d1, shopperId, addressId));
}

export type AddressSnapshot = Readonly<
  Pick<AddressView, "id" | "recipientName" | "phone" | "province" | "city" | "district" | "detail" | "postalCode">
>;

/**
 * A frozen copy of one of the shopper's live addresses for an order to keep, so later edits or deletion of the
 * address book never change where an order went. Another shopper's or a deleted address is 404.
 * @example const shipTo = await addressSnapshot(env.DB, shopper.shopperId, body.addressId)
 */
export async function addressSnapshot(d1: D1Database, shopperId: string, addressId: string): Promise<AddressSnapshot> {
  const row = await ownAddress(d1, shopperId, addressId);
  return Object.freeze({
    id: row.id,
    recipientName: row.recipientName,
    phone: row.phone,
    province: row.province,
    city: row.city,
    district: row.district,
    detail: row.detail,
    postalCode: row.postalCode,
  });
}
