/**
 * @module seed/orders: the demo shopper's order history as SQL, so the merchant, supplier and platform order consoles
 * have something to show right after `npm start`. Load after `catalogSeedStatements`.
 *
 * Historical sales only: no stock moves and no holds. Each paid order gets its devpay payment and the rail's paid
 * trade, so refunds work on seeded orders as on live ones. Every row of an order is written only if the order row
 * with that id *and number* is there, so a number already taken by a live checkout (an older local state) skips the
 * whole order instead of leaving orphans; `order_sequences` only ever moves up, so live checkouts never reuse a
 * seeded number.
 */
import { chinaDay } from "../modules/orders/numbers.ts";
import type { DemoCatalog } from "./catalog.ts";
import { DEMO_SHOPPER, type SeedStatement } from "./demo.ts";
import { type DemoOrder, demoOrders } from "./orders-history.ts";
import { DEMO_ADDRESS } from "./orders-plans.ts";

type Row = Record<string, string | number | null>;

/** The locally served origins (wrangler dev on :8787), as devpay would have recorded them. */
const PLATFORM_ORIGIN = "http://localhost:8787";
const SHOP_HOSTS: Record<string, string> = { mer_demo: "demo.localhost:8787", mer_mama: "mama.localhost:8787" };

function insert(table: string, row: Row): SeedStatement {
  const columns = Object.keys(row);
  return {
    sql: `INSERT OR IGNORE INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
    params: Object.values(row),
  };
}

/** An insert that happens only if `order` itself was written by this seed. */
function insertFor(order: DemoOrder, table: string, row: Row): SeedStatement {
  const columns = Object.keys(row);
  return {
    sql: `INSERT OR IGNORE INTO ${table} (${columns.join(", ")}) SELECT ${columns.map(() => "?").join(", ")}
          WHERE EXISTS (SELECT 1 FROM orders WHERE id = ? AND number = ?)`,
    params: [...Object.values(row), order.id, order.number],
  };
}

function orderStatements(order: DemoOrder): SeedStatement[] {
  const out = [
    insert("orders", {
      id: order.id,
      number: order.number,
      merchant_id: order.merchantId,
      shopper_id: DEMO_SHOPPER.id,
      status: order.status,
      goods_fen: order.goodsFen,
      shipping_fen: order.shippingFen,
      discount_fen: 0,
      total_fen: order.totalFen,
      address: JSON.stringify(DEMO_ADDRESS),
      note: order.note,
      hold_group_id: order.id,
      payment_expires_at_ms: order.paymentExpiresAtMs,
      paid_at_ms: order.paidAtMs,
      cancelled_at_ms: order.cancelledAtMs,
      cancel_reason: order.cancelReason,
      created_at_ms: order.createdAtMs,
      updated_at_ms: order.updatedAtMs,
    }),
  ];
  for (const sub of order.subOrders) {
    out.push(
      insertFor(order, "sub_orders", {
        id: sub.id,
        number: sub.number,
        order_id: order.id,
        merchant_id: order.merchantId,
        supplier_id: sub.supplierId,
        status: sub.status,
        goods_fen: sub.goodsFen,
        shipping_fen: sub.shippingFen,
        discount_fen: 0,
        total_fen: sub.totalFen,
        supply_fen: sub.supplyFen,
        paid_at_ms: sub.paidAtMs,
        dispatched_at_ms: sub.dispatchedAtMs,
        shipped_at_ms: sub.shippedAtMs,
        delivered_at_ms: sub.deliveredAtMs,
        completed_at_ms: sub.completedAtMs,
        created_at_ms: order.createdAtMs,
        updated_at_ms: sub.updatedAtMs,
      }),
    );
    for (const line of sub.lines) {
      out.push(
        insertFor(order, "order_lines", {
          id: line.id,
          order_id: order.id,
          sub_order_id: sub.id,
          sku_id: line.skuId,
          listing_id: line.listingId,
          product_id: line.productId,
          sku_code: line.skuCode,
          title_zh: line.titleZh,
          title_en: line.titleEn,
          options: line.options,
          image_key: line.imageKey,
          quantity: line.quantity,
          unit_price_fen: line.unitPriceFen,
          supply_price_fen: line.supplyPriceFen,
          weight_grams: line.weightGrams,
          discount_fen: 0,
        }),
      );
    }
  }
  for (const e of order.events) {
    out.push(
      insertFor(order, "order_events", {
        id: e.id,
        order_id: order.id,
        sub_order_id: e.subOrderId,
        actor_type: e.actorType,
        actor_id: e.actorId,
        from_status: e.from,
        to_status: e.to,
        note: e.note,
        at_ms: e.atMs,
      }),
    );
  }
  const pay = order.payment;
  if (pay && order.paidAtMs !== null) {
    out.push(
      insertFor(order, "payments", {
        id: pay.id,
        order_id: order.id,
        provider: "devpay",
        prepay_id: pay.prepayId,
        amount_fen: order.totalFen,
        status: "paid",
        expires_at_ms: order.paymentExpiresAtMs,
        transaction_id: pay.transactionId,
        paid_at_ms: order.paidAtMs,
        created_at_ms: pay.createdAtMs,
      }),
      insertFor(order, "devpay_transactions", {
        prepay_id: pay.prepayId,
        out_trade_no: pay.id,
        amount_fen: order.totalFen,
        description: `订单 ${order.number}`,
        notify_url: `${PLATFORM_ORIGIN}/api/payments/devpay/notify`,
        return_url: `http://${SHOP_HOSTS[order.merchantId] ?? "localhost:8787"}/account/orders/${order.id}?from=pay`,
        state: "paid",
        transaction_id: pay.transactionId,
        refunded_fen: 0,
        expires_at_ms: order.paymentExpiresAtMs,
        paid_at_ms: order.paidAtMs,
        created_at_ms: pay.createdAtMs,
      }),
    );
  }
  return out;
}

/** The shopper's address book entry the orders went to, and membership of each shop from before its first order. */
function shopperStatements(orders: DemoOrder[]): SeedStatement[] {
  const firstMs = Math.min(...orders.map((o) => o.createdAtMs));
  const sinceMs = firstMs - 3 * 86_400_000;
  const out: SeedStatement[] = [
    {
      // Default only if the shopper has no default yet (they may have added addresses in an earlier session).
      sql: `INSERT OR IGNORE INTO addresses (id, shopper_id, recipient_name, phone, province, city, district, detail,
              postal_code, is_default, created_at_ms, updated_at_ms)
            SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?,
              NOT EXISTS (SELECT 1 FROM addresses WHERE shopper_id = ? AND is_default = 1 AND deleted_at_ms IS NULL), ?, ?`,
      params: [
        DEMO_ADDRESS.id,
        DEMO_SHOPPER.id,
        DEMO_ADDRESS.recipientName,
        DEMO_ADDRESS.phone,
        DEMO_ADDRESS.province,
        DEMO_ADDRESS.city,
        DEMO_ADDRESS.district,
        DEMO_ADDRESS.detail,
        DEMO_ADDRESS.postalCode,
        DEMO_SHOPPER.id,
        sinceMs,
        sinceMs,
      ],
    },
    {
      sql: "UPDATE shoppers SET created_at_ms = MIN(created_at_ms, ?) WHERE id = ?",
      params: [sinceMs, DEMO_SHOPPER.id],
    },
  ];
  for (const merchantId of new Set(orders.map((o) => o.merchantId))) {
    const own = orders.filter((o) => o.merchantId === merchantId);
    const joinedMs = Math.min(...own.map((o) => o.createdAtMs)) - 86_400_000;
    out.push(
      insert("shopper_memberships", {
        merchant_id: merchantId,
        shopper_id: DEMO_SHOPPER.id,
        joined_at_ms: joinedMs,
        last_seen_at_ms: Math.max(...own.map((o) => o.createdAtMs)),
      }),
      {
        sql: `UPDATE shopper_memberships SET joined_at_ms = MIN(joined_at_ms, ?)
              WHERE merchant_id = ? AND shopper_id = ?`,
        params: [joinedMs, merchantId, DEMO_SHOPPER.id],
      },
    );
  }
  return out;
}

/** The highest sequence seeded per China day, so a later `nextOrderNumber` on that day continues after it. */
function sequenceStatements(orders: DemoOrder[]): SeedStatement[] {
  const last = new Map<string, number>();
  for (const o of orders) {
    const day = chinaDay(o.createdAtMs);
    last.set(day, Math.max(last.get(day) ?? 0, Number(o.number.slice(8))));
  }
  return [...last].map(([day, sequence]) => ({
    sql: `INSERT INTO order_sequences (day, last) VALUES (?, ?)
          ON CONFLICT (day) DO UPDATE SET last = MAX(last, excluded.last)`,
    params: [day, sequence],
  }));
}

/**
 * Statements for the demo order history ending yesterday (China time) as of `nowMs`; re-running them changes nothing.
 * @example run([...catalogSeedStatements(now), ...demoOrderStatements(demoCatalog(now), now)])
 */
export function demoOrderStatements(catalog: DemoCatalog, nowMs: number): SeedStatement[] {
  const orders = demoOrders(catalog, nowMs);
  return [...shopperStatements(orders), ...orders.flatMap(orderStatements), ...sequenceStatements(orders)];
}
