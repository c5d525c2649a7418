import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ORDER_STATUSES, SUB_ORDER_STATUSES, type SubOrderStatus } from "../../worker/db/schema";
import { hashPassword } from "../../worker/lib/crypto";
import { autoCompleteDelivered, expireUnpaidOrders } from "../../worker/modules/orders/lifecycle";
import { chinaDay, nextOrderNumber } from "../../worker/modules/orders/numbers";
import type { OrderView } from "../../worker/modules/orders/schemas";
import { canMove, STAMP } from "../../worker/modules/orders/state";
import { catalogSeedStatements, demoCatalog } from "../../worker/seed/catalog";
import { DEMO_SHOPPER, demoSeedStatements, type SeedStatement } from "../../worker/seed/demo";
import { demoOrderStatements } from "../../worker/seed/orders";
import { chinaDayStart, demoOrders } from "../../worker/seed/orders-history";
import { call } from "../helpers";
import { freshIp, signInShopper } from "../support/identity";

const NOW_MS = Date.now();
const DAY_MS = 86_400_000;
const TODAY_START = chinaDayStart(NOW_MS);
const HISTORY = ["orders", "sub_orders", "order_lines", "order_events", "payments", "devpay_transactions"] as const;

interface OrderRow {
  id: string;
  number: string;
  merchant_id: string;
  shopper_id: string;
  status: string;
  goods_fen: number;
  shipping_fen: number;
  discount_fen: number;
  total_fen: number;
  address: string;
  payment_expires_at_ms: number;
  paid_at_ms: number | null;
  cancelled_at_ms: number | null;
  cancel_reason: string | null;
  created_at_ms: number;
}

interface SubRow {
  id: string;
  number: string;
  order_id: string;
  supplier_id: string;
  status: SubOrderStatus;
  goods_fen: number;
  shipping_fen: number;
  discount_fen: number;
  total_fen: number;
  supply_fen: number;
  paid_at_ms: number | null;
  dispatched_at_ms: number | null;
  shipped_at_ms: number | null;
  delivered_at_ms: number | null;
  completed_at_ms: number | null;
}

interface LineRow {
  sub_order_id: string;
  quantity: number;
  unit_price_fen: number;
  supply_price_fen: number;
}

interface EventRow {
  id: string;
  order_id: string;
  sub_order_id: string | null;
  actor_type: string;
  from_status: string | null;
  to_status: string;
  note: string | null;
  at_ms: number;
}

async function run(statements: SeedStatement[]): Promise<void> {
  for (let i = 0; i < statements.length; i += 500) {
    const chunk = statements.slice(i, i + 500);
    await env.DB.batch(chunk.map(({ sql, params }) => env.DB.prepare(sql).bind(...params)));
  }
}

async function all<T>(sql: string, ...params: (string | number)[]): Promise<T[]> {
  return (
    await env.DB.prepare(sql)
      .bind(...params)
      .all<T>()
  ).results;
}

/** Every history row, so a re-run can be compared with the first load column by column. */
async function snapshot(): Promise<string> {
  const tables = await Promise.all(HISTORY.map((t) => all<Record<string, unknown>>(`SELECT * FROM ${t} ORDER BY 1`)));
  return JSON.stringify(tables);
}

function sum<T>(rows: T[], value: (row: T) => number): number {
  return rows.reduce((total, row) => total + value(row), 0);
}

describe("demo order history seed", () => {
  const catalog = demoCatalog(NOW_MS);
  let first: string;
  let orders: OrderRow[];
  let subs: SubRow[];
  let lines: LineRow[];
  let events: EventRow[];

  beforeAll(async () => {
    await run([...(await demoSeedStatements(hashPassword, NOW_MS)), ...catalogSeedStatements(NOW_MS)]);
    await run(demoOrderStatements(catalog, NOW_MS));
    first = await snapshot();
    await run(demoOrderStatements(catalog, NOW_MS));
    orders = await all<OrderRow>("SELECT * FROM orders ORDER BY id");
    subs = await all<SubRow>("SELECT * FROM sub_orders ORDER BY number");
    lines = await all<LineRow>("SELECT * FROM order_lines ORDER BY id");
    events = await all<EventRow>("SELECT * FROM order_events ORDER BY id");
  });

  it("loads twice without error, the second run changing nothing", async () => {
    expect(await snapshot()).toBe(first);
  });

  it("gives the demo shopper 24 orders in 演示小店 and 6 in 萌宝母婴馆, and membership of both", async () => {
    const per = (m: string) => orders.filter((o) => o.merchant_id === m && o.shopper_id === DEMO_SHOPPER.id).length;
    expect([per("mer_demo"), per("mer_mama"), orders.length]).toEqual([24, 6, 30]);
    const shops = await all<{ merchant_id: string; joined_at_ms: number }>(
      "SELECT merchant_id, joined_at_ms FROM shopper_memberships WHERE shopper_id = ? ORDER BY merchant_id",
      DEMO_SHOPPER.id,
    );
    expect(shops.map((s) => s.merchant_id)).toEqual(["mer_demo", "mer_mama"]);
    for (const s of shops) {
      const own = orders.filter((o) => o.merchant_id === s.merchant_id);
      expect(s.joined_at_ms).toBeLessThan(Math.min(...own.map((o) => o.created_at_ms)));
    }
  });

  it("adds up every order: lines to packages, packages to the order, supply at the supply price", () => {
    for (const o of orders) {
      const own = subs.filter((s) => s.order_id === o.id);
      expect(own.length, o.id).toBeGreaterThanOrEqual(1);
      expect(o.goods_fen, o.id).toBe(sum(own, (s) => s.goods_fen));
      expect(o.shipping_fen, o.id).toBe(sum(own, (s) => s.shipping_fen));
      expect(o.total_fen, o.id).toBe(sum(own, (s) => s.total_fen));
      expect(o.total_fen, o.id).toBe(o.goods_fen + o.shipping_fen - o.discount_fen);
      const orderLines = lines.filter((l) => own.some((s) => s.id === l.sub_order_id));
      expect(orderLines.length, o.id).toBeGreaterThanOrEqual(1);
      expect(orderLines.length, o.id).toBeLessThanOrEqual(3);
      for (const s of own) {
        const mine = lines.filter((l) => l.sub_order_id === s.id);
        expect(s.goods_fen, s.id).toBe(sum(mine, (l) => l.unit_price_fen * l.quantity));
        expect(s.supply_fen, s.id).toBe(sum(mine, (l) => l.supply_price_fen * l.quantity));
        expect(s.total_fen, s.id).toBe(s.goods_fen + s.shipping_fen - s.discount_fen);
        expect([0, 600, 800], s.id).toContain(s.shipping_fen);
      }
    }
    expect(subs.some((s) => s.shipping_fen > 0)).toBe(true);
    expect(orders.some((o) => subs.filter((s) => s.order_id === o.id).length === 2)).toBe(true);
  });

  it("sells what the shop lists, at its price, with the supplier's code, supply price, weight and first image", async () => {
    const mismatched = await all<{ id: string }>(
      `SELECT l.id FROM order_lines l
       JOIN orders o ON o.id = l.order_id JOIN sub_orders s ON s.id = l.sub_order_id
       LEFT JOIN listing_skus ls ON ls.listing_id = l.listing_id AND ls.sku_id = l.sku_id AND ls.merchant_id = o.merchant_id
       LEFT JOIN skus k ON k.id = l.sku_id AND k.product_id = l.product_id
       LEFT JOIN products p ON p.id = l.product_id
       WHERE ls.price_fen IS NOT l.unit_price_fen OR k.supply_price_fen IS NOT l.supply_price_fen
          OR k.code IS NOT l.sku_code OR k.weight_grams IS NOT l.weight_grams OR k.options IS NOT l.options
          OR p.title_zh IS NOT l.title_zh OR p.supplier_id IS NOT s.supplier_id OR p.status IS NOT 'listed'
          OR l.image_key IS NOT (SELECT i.r2_key FROM product_images i WHERE i.product_id = l.product_id
                                 ORDER BY i.sort, i.id LIMIT 1)`,
    );
    expect(mismatched).toEqual([]);
    expect(lines.length).toBeGreaterThanOrEqual(orders.length);
  });

  it("numbers orders YYYYMMDD + a daily sequence and packages -1, -2 in supplier order", () => {
    const numbers = new Set(orders.map((o) => o.number));
    expect(numbers.size).toBe(orders.length);
    for (const o of orders) {
      expect(o.number).toMatch(/^\d{13}$/);
      expect(o.number.slice(0, 8)).toBe(chinaDay(o.created_at_ms));
      const own = subs.filter((s) => s.order_id === o.id).sort((a, b) => a.supplier_id.localeCompare(b.supplier_id));
      expect(own.map((s) => s.number)).toEqual(own.map((_, i) => `${o.number}-${i + 1}`));
    }
    const byDay = Map.groupBy(orders, (o) => o.number.slice(0, 8));
    for (const [day, sameDay] of byDay) {
      const inTimeOrder = sameDay
        .sort((a, b) => a.created_at_ms - b.created_at_ms)
        .map((o) => Number(o.number.slice(8)));
      expect(inTimeOrder, day).toEqual(inTimeOrder.map((_, i) => i + 1));
    }
  });

  it("dates everything in the last 20 days and nothing today (China time)", () => {
    const today = chinaDay(NOW_MS);
    for (const o of orders) {
      expect(chinaDay(o.created_at_ms) < today, o.id).toBe(true);
      expect(o.created_at_ms).toBeGreaterThanOrEqual(TODAY_START - 20 * DAY_MS);
    }
    const stamps = [
      ...events.map((e) => e.at_ms),
      ...subs.flatMap((s) => [s.paid_at_ms, s.dispatched_at_ms, s.shipped_at_ms, s.delivered_at_ms, s.completed_at_ms]),
      ...orders.flatMap((o) => [o.paid_at_ms, o.cancelled_at_ms]),
    ];
    expect(Math.max(...stamps.map((t) => t ?? 0))).toBeLessThan(TODAY_START);
  });

  it("spreads valid statuses: mostly completed, some delivered, shipped, dispatched, paid and cancelled", () => {
    for (const o of orders) expect(ORDER_STATUSES).toContain(o.status);
    const counts = new Map<string, number>();
    for (const s of subs) {
      expect(SUB_ORDER_STATUSES).toContain(s.status);
      counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
    }
    for (const status of ["delivered", "shipped", "dispatched", "paid", "cancelled"]) {
      expect(counts.get(status) ?? 0, status).toBeGreaterThan(0);
      expect(counts.get("completed") ?? 0).toBeGreaterThan(counts.get(status) ?? 0);
    }
    expect(counts.has("pending_payment")).toBe(false);
  });

  it("cancels unpaid orders at the end of the payment window, and stamps every state a package reached", () => {
    const chain = ["paid", "dispatched", "shipped", "delivered", "completed"] as const;
    for (const o of orders) {
      const own = subs.filter((s) => s.order_id === o.id);
      if (o.status === "cancelled") {
        expect(o).toMatchObject({ paid_at_ms: null, cancel_reason: "payment_timeout" });
        expect((o.cancelled_at_ms ?? 0) - o.payment_expires_at_ms).toBeGreaterThanOrEqual(0);
        expect((o.cancelled_at_ms ?? 0) - o.payment_expires_at_ms).toBeLessThan(60_000);
        expect(own.every((s) => s.status === "cancelled" && s.paid_at_ms === null)).toBe(true);
        continue;
      }
      expect(o.paid_at_ms).not.toBeNull();
      for (const s of own) {
        expect(s.paid_at_ms, s.id).toBe(o.paid_at_ms);
        const reached = chain.indexOf(s.status as (typeof chain)[number]);
        expect(reached, s.id).toBeGreaterThanOrEqual(0);
        const stamps = chain.map((state) => s[STAMP[state] as keyof SubRow] as number | null);
        expect(stamps.map((t) => t !== null)).toEqual(chain.map((_, i) => i <= reached));
        const set = stamps.filter((t): t is number => t !== null);
        expect(set).toEqual([...set].sort((a, b) => a - b));
      }
    }
  });

  it("records a time-ordered timeline: checkout, payment or timeout, then each package's moves by the right actor", () => {
    const actorOf: Record<string, string> = {
      paid: "payment",
      dispatched: "supplier",
      shipped: "supplier",
      delivered: "system",
      completed: "system",
      cancelled: "system",
    };
    for (const o of orders) {
      const own = events.filter((e) => e.order_id === o.id);
      expect(own.map((e) => e.at_ms)).toEqual(own.map((e) => e.at_ms).sort((a, b) => a - b));
      expect(own[0]).toMatchObject({ sub_order_id: null, actor_type: "shopper", from_status: null });
      expect(own[0]?.to_status).toBe("pending_payment");
      expect(own[0]?.at_ms).toBe(o.created_at_ms);
      const parent = own.filter((e) => e.sub_order_id === null).map((e) => [e.to_status, e.actor_type, e.note]);
      expect(parent).toEqual([
        ["pending_payment", "shopper", null],
        o.status === "paid" ? ["paid", "payment", null] : ["cancelled", "system", "payment_timeout"],
      ]);
      for (const s of subs.filter((x) => x.order_id === o.id)) {
        const moves = own.filter((e) => e.sub_order_id === s.id);
        let at: SubOrderStatus = "pending_payment";
        for (const e of moves) {
          expect(e.from_status, e.id).toBe(at);
          expect(canMove(at, e.to_status as SubOrderStatus), e.id).toBe(true);
          expect(e.actor_type, e.id).toBe(actorOf[e.to_status]);
          at = e.to_status as SubOrderStatus;
        }
        expect(at, s.id).toBe(s.status);
      }
    }
  });

  it("pays each paid order through devpay once, for its total, and leaves stock alone", async () => {
    const paid = await all<{ order_id: string; amount_fen: number; trade: number; state: string; n: number }>(
      `SELECT p.order_id, p.amount_fen, t.amount_fen AS trade, t.state, COUNT(*) AS n FROM payments p
       JOIN devpay_transactions t ON t.prepay_id = p.prepay_id AND t.out_trade_no = p.id
       WHERE p.provider = 'devpay' AND p.status = 'paid' AND p.transaction_id = t.transaction_id GROUP BY p.order_id`,
    );
    const expected = orders.filter((o) => o.status === "paid");
    expect(paid.map((p) => p.order_id).sort()).toEqual(expected.map((o) => o.id).sort());
    for (const p of paid) {
      const total = expected.find((o) => o.id === p.order_id)?.total_fen;
      expect(p).toMatchObject({ amount_fen: total, trade: total, state: "paid", n: 1 });
    }
    const stock = await all<{ id: string; stock: number }>("SELECT id, stock FROM skus");
    const seeded = new Map(catalog.products.flatMap((p) => p.skus.map((s) => [s.id, s.stock] as const)));
    for (const s of stock) expect(s.stock, s.id).toBe(seeded.get(s.id));
  });

  it("gives the cron jobs nothing to do: no unpaid order to close, no delivered package past auto-complete", async () => {
    expect(await expireUnpaidOrders(env, NOW_MS)).toEqual({ cancelled: 0, paid: 0 });
    expect(await autoCompleteDelivered(env, TODAY_START + DAY_MS - 1)).toBe(0);
  });

  it("shows the demo shopper their history, then numbers a live checkout after every seeded number", async () => {
    const shopper = await signInShopper(freshIp(), "demo.localhost", DEMO_SHOPPER.phone);
    expect(shopper.shopperId).toBe(DEMO_SHOPPER.id);
    const list = await call("/api/shop/orders?limit=50", { host: "demo.localhost", session: shopper });
    expect(list.status).toBe(200);
    const { orders: mine } = await list.json<{ orders: { id: string }[] }>();
    expect(mine.length).toBe(24);

    const sku = catalog.shops
      .find((s) => s.merchantId === "mer_demo")
      ?.listings.flatMap((l) => l.skus)
      .find((s) => (catalog.products.flatMap((p) => p.skus).find((k) => k.id === s.skuId)?.stock ?? 0) >= 5);
    if (!sku) throw new Error("the demo shop has no SKU in stock");
    const res = await call("/api/shop/checkout", {
      host: "demo.localhost",
      session: shopper,
      body: { addressId: "adr_demo", items: [{ skuId: sku.skuId, quantity: 1 }] },
      headers: { "idempotency-key": "orders-seed-live-checkout" },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const live = await res.json<OrderView>();
    const seededNumbers = new Set(orders.map((o) => o.number));
    expect(seededNumbers.has(live.number)).toBe(false);
    expect(live.number.slice(0, 8)).toBe(chinaDay(Date.now()));
    expect(live.address).toMatchObject({ recipientName: "陈小明", phone: DEMO_SHOPPER.phone });

    // Even a checkout stamped on a seeded day continues that day's sequence.
    for (const [day, sameDay] of Map.groupBy(orders, (o) => o.number.slice(0, 8))) {
      const next = await nextOrderNumber(env.DB, sameDay[0]?.created_at_ms ?? 0);
      expect(seededNumbers.has(next), day).toBe(false);
      expect(Number(next.slice(8)), day).toBe(sameDay.length + 1);
    }
  });

  it("adds nothing when run again on a later day", async () => {
    const before = await snapshot();
    const tomorrow = NOW_MS + DAY_MS;
    await run(demoOrderStatements(demoCatalog(tomorrow), tomorrow));
    expect(await snapshot()).toBe(before);
  });

  it("builds the same history at any hour of the same China day", () => {
    const strip = (t: number) => JSON.stringify(demoOrders(demoCatalog(t), t));
    expect(strip(TODAY_START + 60_000)).toBe(strip(TODAY_START + DAY_MS - 60_000));
  });
});
