/**
 * @module orders/console-service: orders as the three consoles see them. Merchants see their own orders with their
 * cost; suppliers see only their own paid packages, at supply prices; the platform sees everything. Pages and
 * routes both call these, so the console and the API can never disagree about who sees what.
 */
import { AppError } from "../../errors";
import { decodeCursor, encodeCursor } from "../pool/cursor";
import { maskPhone } from "../shoppers/service";
import { parseOptions } from "../storefront/views";
import {
  type After,
  costsOf,
  exportLines,
  type OrderFilter,
  type OrderListRow,
  orderOwner,
  orderRows,
  subOrderStatusesOf,
  supplierSubOrder,
  supplierSubOrderRows,
} from "./console-repository";
import {
  type ConsoleOrderRow,
  type CostedOrderView,
  CSV_MAX_LINES,
  type MerchantOrdersCsvInput,
  type PlatformOrderRow,
  type PlatformOrdersInput,
  type PlatformOrderView,
  type SupplierSubOrderRow,
  type SupplierSubOrdersInput,
  type SupplierSubOrderView,
} from "./console-schemas";
import { ordersCsv } from "./csv";
import { chinaDay } from "./numbers";
import type { OrderView } from "./schemas";
import { orderViewFor } from "./service";
import { lineImage, parseAddress } from "./views";

const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
/** Each list's cursors carry their own name, so a cursor from one list is refused by another. */
const SORT = {
  merchant: "orders_created_desc",
  platform: "all_orders_created_desc",
  supplier: "sub_orders_created_desc",
};

interface Page<T> {
  cursor?: string;
  limit: number;
  rows: (after: After | undefined, limit: number) => Promise<T[]>;
  keyOf: (row: T) => After;
  sort: string;
}

async function keysetPage<T>(page: Page<T>): Promise<{ rows: T[]; nextCursor: string | null }> {
  const cursor = page.cursor === undefined ? undefined : decodeCursor(page.cursor, page.sort);
  const rows = await page.rows(cursor && { key: cursor.k, id: cursor.id }, page.limit + 1);
  const shown = rows.slice(0, page.limit);
  const last = shown.at(-1);
  const key = rows.length > page.limit && last ? page.keyOf(last) : undefined;
  return { rows: shown, nextCursor: key ? encodeCursor({ s: page.sort, k: key.key, id: key.id }) : null };
}

/** `from`/`to` days (China time) as epoch bounds, `to` exclusive; a range that ends before it starts is a 400. */
export function dayBounds(range: { from?: string; to?: string }): { fromMs?: number; toMs?: number } {
  const start = (day: string) => Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MS;
  const fromMs = range.from === undefined ? undefined : start(range.from);
  const toMs = range.to === undefined ? undefined : start(range.to) + DAY_MS;
  if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs) {
    throw new AppError("validation_failed", "to is before from", {
      extensions: { issues: [{ path: "to", message: "The last day comes before the first", code: "invalid_range" }] },
    });
  }
  return { fromMs, toMs };
}

function rowView(row: OrderListRow, statuses: Map<string, ConsoleOrderRow["subOrderStatuses"]>): ConsoleOrderRow {
  return {
    id: row.id,
    number: row.number,
    createdAtMs: row.createdAtMs,
    status: row.status,
    subOrderStatuses: statuses.get(row.id) ?? [],
    itemCount: row.itemCount,
    totalFen: row.totalFen,
    refundedFen: row.refundedFen,
    recipientName: row.recipientName,
    phoneMasked: maskPhone(row.phone),
  };
}

async function orderPage(
  d1: D1Database,
  filter: OrderFilter,
  query: { cursor?: string; limit: number },
  sort: string,
): Promise<{
  rows: OrderListRow[];
  statuses: Map<string, ConsoleOrderRow["subOrderStatuses"]>;
  nextCursor: string | null;
}> {
  const page = await keysetPage({
    cursor: query.cursor,
    limit: query.limit,
    sort,
    rows: (after, limit) => orderRows(d1, filter, after, limit),
    keyOf: (row) => ({ key: row.createdAtMs, id: row.id }),
  });
  const statuses = await subOrderStatusesOf(
    d1,
    page.rows.map((row) => row.id),
  );
  return { ...page, statuses };
}

type ListQuery = MerchantOrdersCsvInput & { cursor?: string; limit: number };

export async function merchantOrders(
  d1: D1Database,
  merchantId: string,
  query: ListQuery,
): Promise<{ orders: ConsoleOrderRow[]; nextCursor: string | null }> {
  const filter = { merchantId, status: query.status, q: query.q, ...dayBounds(query) };
  const page = await orderPage(d1, filter, query, SORT.merchant);
  return { orders: page.rows.map((row) => rowView(row, page.statuses)), nextCursor: page.nextCursor };
}

export async function platformOrders(
  d1: D1Database,
  query: PlatformOrdersInput,
): Promise<{ orders: PlatformOrderRow[]; nextCursor: string | null }> {
  const filter = {
    merchantId: query.merchantId,
    supplierId: query.supplierId,
    status: query.status,
    q: query.q,
    ...dayBounds(query),
  };
  const page = await orderPage(d1, filter, query, SORT.platform);
  return {
    orders: page.rows.map((row) => ({
      ...rowView(row, page.statuses),
      merchantId: row.merchantId,
      merchantName: row.merchantName,
    })),
    nextCursor: page.nextCursor,
  };
}

async function withCosts(d1: D1Database, order: OrderView): Promise<CostedOrderView> {
  const costs = await costsOf(d1, order.id);
  const subCost = new Map(costs.subOrders.map((s) => [s.id, s]));
  const lineCost = new Map(costs.lines.map((l) => [l.id, l]));
  return {
    ...order,
    subOrders: order.subOrders.map((sub) => ({
      ...sub,
      supplierName: subCost.get(sub.id)?.supplierName ?? "",
      supplyFen: subCost.get(sub.id)?.supplyFen ?? 0,
      dispatchStatus: subCost.get(sub.id)?.dispatchStatus ?? null,
      lines: sub.lines.map((line) => ({
        ...line,
        skuCode: lineCost.get(line.id)?.skuCode ?? "",
        supplyPriceFen: lineCost.get(line.id)?.supplyPriceFen ?? 0,
      })),
    })),
  };
}

/** The shop's own order with its cost; another shop's order is 404 like a missing one, so ids reveal nothing. */
export async function merchantOrder(d1: D1Database, merchantId: string, orderId: string): Promise<CostedOrderView> {
  return withCosts(d1, await orderViewFor(d1, orderId, { kind: "merchant", merchantId }));
}

export async function platformOrder(d1: D1Database, orderId: string): Promise<PlatformOrderView> {
  const [order, owner] = await Promise.all([orderViewFor(d1, orderId, { kind: "platform" }), orderOwner(d1, orderId)]);
  if (!owner) throw new AppError("not_found", `No order ${orderId}`);
  return { ...(await withCosts(d1, order)), ...owner };
}

/** The CSV export and whether the cap cut it short (the caller says so in a header). */
export async function merchantOrdersCsv(
  d1: D1Database,
  merchantId: string,
  query: MerchantOrdersCsvInput,
  nowMs = Date.now(),
): Promise<{ csv: string; truncated: boolean; filename: string }> {
  const filter = { merchantId, status: query.status, q: query.q, ...dayBounds(query) };
  const lines = await exportLines(d1, filter, CSV_MAX_LINES + 1);
  return {
    csv: ordersCsv(lines.slice(0, CSV_MAX_LINES)),
    truncated: lines.length > CSV_MAX_LINES,
    filename: `orders-${chinaDay(nowMs)}.csv`,
  };
}

export async function supplierSubOrders(
  d1: D1Database,
  supplierId: string,
  query: SupplierSubOrdersInput,
): Promise<{ subOrders: SupplierSubOrderRow[]; nextCursor: string | null }> {
  const filter = { supplierId, status: query.status, q: query.q, ...dayBounds(query) };
  const page = await keysetPage({
    cursor: query.cursor,
    limit: query.limit,
    sort: SORT.supplier,
    rows: (after, limit) => supplierSubOrderRows(d1, filter, after, limit),
    keyOf: (row) => ({ key: row.createdAtMs, id: row.id }),
  });
  return { subOrders: page.rows, nextCursor: page.nextCursor };
}

/** A package for packing: another supplier's, or one not yet paid, is 404 like a missing one. */
export async function supplierSubOrderView(
  d1: D1Database,
  supplierId: string,
  subOrderId: string,
): Promise<SupplierSubOrderView> {
  const found = await supplierSubOrder(d1, supplierId, subOrderId);
  if (!found) throw new AppError("not_found", `No sub-order ${subOrderId}`);
  const { sub, lines, events } = found;
  return {
    id: sub.id,
    number: sub.number,
    status: sub.status,
    shopName: sub.shopName,
    supplyFen: sub.supplyFen,
    lines: lines.map((line) => ({
      id: line.id,
      skuCode: line.skuCode,
      title: { zh: line.titleZh, en: line.titleEn },
      options: parseOptions(line.options),
      image: lineImage(line.imageKey, line.titleZh),
      quantity: line.quantity,
      refundedQuantity: line.refundedQuantity,
      supplyPriceFen: line.supplyPriceFen,
      supplyTotalFen: line.supplyPriceFen * line.quantity,
    })),
    address: parseAddress(sub.address),
    note: sub.note,
    createdAtMs: sub.createdAtMs,
    paidAtMs: sub.paidAtMs,
    dispatchedAtMs: sub.dispatchedAtMs,
    shippedAtMs: sub.shippedAtMs,
    deliveredAtMs: sub.deliveredAtMs,
    completedAtMs: sub.completedAtMs,
    timeline: events.map((event) => ({
      subOrderId: sub.id,
      actor: event.actorType,
      from: event.fromStatus,
      to: event.toStatus,
      note: event.note,
      atMs: event.atMs,
    })),
  };
}
