/**
 * @module orders/shopper-list: "我的订单" — a shopper's orders in one shop, newest first, by tab, keyset-paged.
 */
import { z } from "zod";
import { SUB_ORDER_STATUSES } from "../../db/schema";
import { decodeCursor, encodeCursor } from "../pool/cursor";
import type { OrderSummaryView, SHOPPER_TABS } from "./schemas";
import { lineImage } from "./views";

type Tab = (typeof SHOPPER_TABS)[number];

/** Which orders each tab shows, as a condition on the parent `o` (sub-orders are looked at through EXISTS). */
const TAB_SQL: Record<Tab, string> = {
  all: "1 = 1",
  unpaid: "o.status = 'pending_payment'",
  to_ship: "EXISTS (SELECT 1 FROM sub_orders s WHERE s.order_id = o.id AND s.status IN ('paid', 'dispatched'))",
  to_receive: "EXISTS (SELECT 1 FROM sub_orders s WHERE s.order_id = o.id AND s.status IN ('shipped', 'delivered'))",
  completed:
    "o.status = 'paid' AND NOT EXISTS (SELECT 1 FROM sub_orders s WHERE s.order_id = o.id AND s.status NOT IN ('completed', 'refunded'))",
  cancelled: "o.status = 'cancelled'",
};

interface Row {
  id: string;
  number: string;
  status: OrderSummaryView["status"];
  totalFen: number;
  refundedFen: number;
  paymentExpiresAtMs: number;
  createdAtMs: number;
  itemCount: number;
  statuses: string;
  titleZh: string | null;
  titleEn: string | null;
  imageKey: string | null;
}

const Statuses = z.array(z.enum(SUB_ORDER_STATUSES));
const SORT = "created_desc";

export async function shopperOrders(
  d1: D1Database,
  who: { shopperId: string; merchantId: string },
  query: { tab: Tab; cursor?: string; limit: number },
): Promise<{ orders: OrderSummaryView[]; nextCursor: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor, SORT) : null;
  const result = await d1
    .prepare(
      `SELECT o.id, o.number, o.status, o.total_fen AS totalFen, o.refunded_fen AS refundedFen,
              o.payment_expires_at_ms AS paymentExpiresAtMs, o.created_at_ms AS createdAtMs,
              (SELECT COALESCE(SUM(quantity), 0) FROM order_lines WHERE order_id = o.id) AS itemCount,
              (SELECT json_group_array(status) FROM (SELECT status FROM sub_orders WHERE order_id = o.id ORDER BY number)) AS statuses,
              f.title_zh AS titleZh, f.title_en AS titleEn, f.image_key AS imageKey
       FROM orders o
       LEFT JOIN order_lines f ON f.id = (SELECT id FROM order_lines WHERE order_id = o.id ORDER BY rowid LIMIT 1)
       WHERE o.shopper_id = ?1 AND o.merchant_id = ?2 AND ${TAB_SQL[query.tab]}
         AND (?3 IS NULL OR o.created_at_ms < ?3 OR (o.created_at_ms = ?3 AND o.id < ?4))
       ORDER BY o.created_at_ms DESC, o.id DESC LIMIT ?5`,
    )
    .bind(who.shopperId, who.merchantId, after?.k ?? null, after?.id ?? "", query.limit + 1)
    .all<Row>();
  const rows = result.results.slice(0, query.limit);
  const last = rows.at(-1);
  return {
    orders: rows.map((row) => ({
      id: row.id,
      number: row.number,
      status: row.status,
      subOrderStatuses: Statuses.parse(JSON.parse(row.statuses)),
      totalFen: row.totalFen,
      refundedFen: row.refundedFen,
      itemCount: row.itemCount,
      firstLine:
        row.titleZh === null
          ? null
          : { title: { zh: row.titleZh, en: row.titleEn }, image: lineImage(row.imageKey, row.titleZh) },
      paymentExpiresAtMs: row.paymentExpiresAtMs,
      createdAtMs: row.createdAtMs,
    })),
    nextCursor:
      result.results.length > query.limit && last ? encodeCursor({ s: SORT, k: last.createdAtMs, id: last.id }) : null,
  };
}
