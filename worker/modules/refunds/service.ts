/**
 * @module refunds/service: a shopper asks for money back on part or all of a package (售后), and everyone who may see
 * a refund reads it. Deciding and paying out are in decisions.ts; the money itself moves in ledger.ts.
 *
 * What a request may claim is computed here from the order as it was paid: each line gives back its share of
 * `unit × quantity − discount` by units (every unit `floor(paid / quantity)`, the line's last unit the remainder, so
 * refunding a whole line returns exactly what it cost), and the package's shipping comes back only with its last
 * units and only while the goods have not left the supplier. Open and paid-out refunds count against both.
 */
import { AppError } from "../../errors";
import { makeEvent, outboxInsertWhen } from "../../events/outbox";
import { findOrder, linesOf, orderEventStatement, type SubOrderRow, subOrdersOf } from "../orders/repository";
import { goodsLeft, REFUNDABLE } from "../orders/state";
import { lineImage } from "../orders/views";
import { decodeCursor, encodeCursor } from "../pool/cursor";
import { parseOptions } from "../storefront/views";
import { insertRefundStatements, newRefundId } from "./ledger";
import { photoExists, photoUrls } from "./photos";
import {
  findRefund,
  lineClaims,
  merchantRefundRows,
  OPEN,
  type RefundRow,
  type RefundScope,
  refundLineRows,
  refundsOfOrder,
  subOrderClaims,
} from "./repository";
import type { MerchantRefundsInput, RefundableView, RefundRequestInput, RefundView } from "./schemas";

export interface Buyer {
  merchantId: string;
  shopperId: string;
}

/** An order line as paid, with what earlier refunds (open or paid out) have claimed of it. */
export interface LineBalance {
  id: string;
  skuId: string;
  quantity: number;
  unitPriceFen: number;
  discountFen: number;
  claimedQuantity: number;
  claimedFen: number;
}

export interface Quote {
  lines: { orderLineId: string; skuId: string; quantity: number; amountFen: number }[];
  goodsFen: number;
  shippingFen: number;
  amountFen: number;
}

/**
 * The fen a request gives back, line by line, plus shipping when it takes the package's last units before they left.
 * Pure, so the arithmetic is tested without a database.
 * @example quoteRefund({ status: "paid", shippingFen: 800, totalFen: 18770, claimedFen: 0 }, lines, [{ lineId, quantity: 1 }])
 */
export function quoteRefund(
  sub: Pick<SubOrderRow, "status" | "shippingFen" | "totalFen"> & { claimedFen: number },
  lines: LineBalance[],
  asked: { lineId: string; quantity: number }[],
): Quote {
  const byId = new Map(lines.map((line) => [line.id, line]));
  const quoted = asked.map((ask, i) => {
    const line = byId.get(ask.lineId);
    if (!line) {
      throw new AppError("validation_failed", `Line ${ask.lineId} is not in this package`, {
        extensions: { issues: [{ path: `lines.${i}.lineId`, message: "Not a line of this package", code: "unknown" }] },
      });
    }
    const remaining = line.quantity - line.claimedQuantity;
    if (ask.quantity > remaining) {
      throw new AppError("refund_exceeds_order", `Line ${line.id} has ${remaining} unit(s) left to refund`, {
        extensions: { lineId: line.id, remainingQuantity: remaining },
      });
    }
    const paidFen = line.unitPriceFen * line.quantity - line.discountFen;
    const leftFen = paidFen - line.claimedFen;
    const amountFen =
      ask.quantity === remaining ? leftFen : Math.min(ask.quantity * Math.floor(paidFen / line.quantity), leftFen);
    return { orderLineId: line.id, skuId: line.skuId, quantity: ask.quantity, amountFen: Math.max(0, amountFen) };
  });
  const askedOf = (id: string) => asked.find((a) => a.lineId === id)?.quantity ?? 0;
  const takesTheRest = lines.every((line) => line.quantity - line.claimedQuantity === askedOf(line.id));
  const goodsFen = quoted.reduce((sum, line) => sum + line.amountFen, 0);
  const budgetFen = sub.totalFen - sub.claimedFen;
  if (goodsFen > budgetFen) {
    throw new AppError("refund_exceeds_order", `At most ${budgetFen} fen of this package is left to refund`);
  }
  const shippingFen =
    takesTheRest && !goodsLeft(sub.status) ? Math.max(0, Math.min(sub.shippingFen, budgetFen - goodsFen)) : 0;
  return { lines: quoted, goodsFen, shippingFen, amountFen: goodsFen + shippingFen };
}

async function balancesOf(d1: D1Database, orderId: string) {
  const [subs, lines, claims, subClaims] = await Promise.all([
    subOrdersOf(d1, orderId),
    linesOf(d1, orderId),
    lineClaims(d1, orderId),
    subOrderClaims(d1, orderId),
  ]);
  const balances = (subOrderId: string): LineBalance[] =>
    lines
      .filter((line) => line.subOrderId === subOrderId)
      .map((line) => ({
        id: line.id,
        skuId: line.skuId,
        quantity: line.quantity,
        unitPriceFen: line.unitPriceFen,
        discountFen: line.discountFen,
        claimedQuantity: claims.get(line.id)?.quantity ?? 0,
        claimedFen: claims.get(line.id)?.amountFen ?? 0,
      }));
  return { subs, balances, subClaims };
}

const INSERTED = "SELECT 1 FROM refunds WHERE id = ?";

/**
 * Records the shopper's request (status `requested`) for the merchant to decide. One open request per package: a
 * second one while the first is undecided, failed or paying out is 409 `refund_in_progress`.
 */
export async function requestRefund(
  env: Env,
  buyer: Buyer,
  orderId: string,
  input: RefundRequestInput,
  nowMs = Date.now(),
): Promise<RefundView> {
  const d1 = env.DB;
  const order = await findOrder(d1, orderId, { kind: "shopper", ...buyer });
  if (!order) throw new AppError("not_found", `No order ${orderId}`);
  if (order.status !== "paid")
    throw new AppError("refund_not_allowed", `A ${order.status} order has nothing to refund`);
  const { subs, balances, subClaims } = await balancesOf(d1, orderId);
  const sub = subs.find((s) => s.id === input.subOrderId);
  if (!sub) throw new AppError("not_found", `No package ${input.subOrderId} in this order`);
  if (!REFUNDABLE.includes(sub.status)) {
    throw new AppError("refund_not_allowed", `A ${sub.status} package cannot be refunded now`);
  }
  const claimed = subClaims.get(sub.id);
  if (claimed?.open) throw new AppError("refund_in_progress");
  const ownPrefix = `refunds/${buyer.shopperId}/`;
  for (const [i, key] of input.photoKeys.entries()) {
    if (!key.startsWith(ownPrefix) || !(await photoExists(env, key))) {
      throw new AppError("validation_failed", "Upload each photo first and send the key it answered", {
        extensions: { issues: [{ path: `photoKeys.${i}`, message: "Unknown photo", code: "unknown" }] },
      });
    }
  }
  const quote = quoteRefund({ ...sub, claimedFen: claimed?.claimedFen ?? 0 }, balances(sub.id), input.lines);
  if (quote.amountFen === 0) throw new AppError("refund_not_allowed", "Nothing of what you chose is left to refund");

  const refundId = newRefundId(nowMs);
  const refundable = REFUNDABLE.map((s) => `'${s}'`).join(", ");
  const event = makeEvent(
    "refund.requested",
    {
      refundId,
      orderId,
      orderNumber: order.number,
      subOrderId: sub.id,
      merchantId: order.merchantId,
      supplierId: sub.supplierId,
      amountFen: quote.amountFen,
      reason: input.reason,
    },
    nowMs,
  );
  await d1.batch([
    ...insertRefundStatements(
      d1,
      {
        id: refundId,
        orderId,
        subOrderId: sub.id,
        merchantId: order.merchantId,
        supplierId: sub.supplierId,
        shopperId: buyer.shopperId,
        kind: "after_sale",
        status: "requested",
        reason: input.reason,
        note: input.note || null,
        photoKeys: input.photoKeys,
        amountFen: quote.amountFen,
        shipped: goodsLeft(sub.status),
      },
      quote.lines,
      nowMs,
      {
        // Re-checked inside the insert: the package may have moved or gained an open refund since it was read.
        sql: `SELECT 1 FROM sub_orders WHERE id = ? AND status IN (${refundable})
              AND NOT EXISTS (SELECT 1 FROM refunds WHERE sub_order_id = ? AND status IN ${OPEN})`,
        params: [sub.id, sub.id],
      },
    ),
    orderEventStatement(
      d1,
      {
        id: `oev_${refundId}_requested`,
        orderId,
        subOrderId: sub.id,
        actor: { type: "shopper", id: buyer.shopperId },
        from: null,
        to: "refund_requested",
        note: refundId,
        atMs: nowMs,
      },
      INSERTED,
      refundId,
    ),
    outboxInsertWhen(d1, event, INSERTED, refundId),
  ]);
  const row = await findRefund(d1, refundId, { kind: "shopper", ...buyer });
  if (!row) throw new AppError("refund_in_progress", "The package changed or got another refund request meanwhile");
  const [view] = await refundViews(d1, [row], { kind: "shopper", ...buyer });
  if (!view) throw new AppError("internal_error");
  return view;
}

/** The order's refunds (newest first) and, per package, whether and how much may still be asked for. */
export async function orderRefunds(
  d1: D1Database,
  buyer: Buyer,
  orderId: string,
): Promise<{ refunds: RefundView[]; refundable: RefundableView[] }> {
  const order = await findOrder(d1, orderId, { kind: "shopper", ...buyer });
  if (!order) throw new AppError("not_found", `No order ${orderId}`);
  const [rows, { subs, balances, subClaims }] = await Promise.all([
    refundsOfOrder(d1, orderId),
    balancesOf(d1, orderId),
  ]);
  const refundable = subs.map((sub): RefundableView => {
    const lines = balances(sub.id).map((l) => ({ lineId: l.id, remainingQuantity: l.quantity - l.claimedQuantity }));
    const blockedBy =
      order.status !== "paid" || !REFUNDABLE.includes(sub.status)
        ? "status"
        : subClaims.get(sub.id)?.open
          ? "open_refund"
          : lines.every((l) => l.remainingQuantity === 0)
            ? "nothing_left"
            : null;
    return { subOrderId: sub.id, subOrderNumber: sub.number, canRequest: blockedBy === null, blockedBy, lines };
  });
  return { refunds: await refundViews(d1, rows, { kind: "shopper", ...buyer }), refundable };
}

/** One refund for whoever may see it; anyone else gets 404, exactly like a missing one. */
export async function refundFor(d1: D1Database, refundId: string, scope: RefundScope): Promise<RefundView> {
  const row = await findRefund(d1, refundId, scope);
  if (!row) throw new AppError("not_found", `No refund ${refundId}`);
  const [view] = await refundViews(d1, [row], scope);
  if (!view) throw new AppError("internal_error");
  return view;
}

const MERCHANT_SORT = "refunds_created_desc";

export async function merchantRefunds(
  d1: D1Database,
  merchantId: string,
  query: MerchantRefundsInput,
): Promise<{ refunds: RefundView[]; nextCursor: string | null }> {
  const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor, MERCHANT_SORT);
  const rows = await merchantRefundRows(
    d1,
    merchantId,
    query.status,
    cursor && { key: cursor.k, id: cursor.id },
    query.limit + 1,
  );
  const shown = rows.slice(0, query.limit);
  const last = shown.at(-1);
  const nextCursor =
    rows.length > query.limit && last ? encodeCursor({ s: MERCHANT_SORT, k: last.createdAtMs, id: last.id }) : null;
  return { refunds: await refundViews(d1, shown, { kind: "merchant", merchantId }), nextCursor };
}

export function parsePhotoKeys(json: string): string[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === "string") : [];
  } catch {
    return [];
  }
}

export async function refundViews(d1: D1Database, rows: RefundRow[], scope: RefundScope): Promise<RefundView[]> {
  const lines = await refundLineRows(
    d1,
    rows.map((r) => r.id),
  );
  return rows.map((row) => {
    const own = lines
      .filter((line) => line.refundId === row.id)
      .map((line) => ({
        lineId: line.lineId,
        skuId: line.skuId,
        title: { zh: line.titleZh, en: line.titleEn },
        options: parseOptions(line.options),
        image: lineImage(line.imageKey, line.titleZh),
        quantity: line.quantity,
        amountFen: line.amountFen,
      }));
    return {
      id: row.id,
      orderId: row.orderId,
      orderNumber: row.orderNumber,
      subOrderId: row.subOrderId,
      subOrderNumber: row.subOrderNumber,
      kind: row.kind,
      status: row.status,
      reason: row.reason,
      note: row.note,
      photos: photoUrls(row.id, parsePhotoKeys(row.photoKeys), scope).map((url) => ({ url })),
      amountFen: row.amountFen,
      shippingFen: row.amountFen - own.reduce((sum, line) => sum + line.amountFen, 0),
      shipped: row.shipped === 1,
      decisionNote: row.decisionNote,
      createdAtMs: row.createdAtMs,
      decidedAtMs: row.decidedAtMs,
      completedAtMs: row.completedAtMs,
      lines: own,
    };
  });
}
