/**
 * Orders written straight into D1 (orders, sub_orders, order_lines, order_events) in any state, with chosen times
 * and prices, so the console reads can be tested without driving checkout and payment for every row. Checkout and
 * the state machine have their own tests.
 */
import { env } from "cloudflare:workers";
import type { OrderStatus, SubOrderStatus } from "../../worker/db/schema";
import { newId } from "../../worker/lib/crypto";
import { chinaDay } from "../../worker/modules/orders/numbers";
import { applyAsSupplier, openShop } from "./tenants";

export interface FixtureAddress {
  recipientName: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
  postalCode: string | null;
}

export const DEFAULT_ADDRESS: FixtureAddress = {
  recipientName: "张三",
  phone: "13800138000",
  province: "广东省",
  city: "深圳市",
  district: "南山区",
  detail: "科技园路 1 号",
  postalCode: null,
};

export interface FixtureLine {
  titleZh: string;
  options?: Record<string, string>;
  quantity: number;
  unitPriceFen: number;
  supplyPriceFen: number;
  skuCode?: string;
  refundedFen?: number;
}

export interface FixturePackage {
  supplierId: string;
  status?: SubOrderStatus;
  shippingFen?: number;
  lines: FixtureLine[];
}

export interface FixtureOrder {
  merchantId: string;
  packages: FixturePackage[];
  createdAtMs?: number;
  address?: Partial<FixtureAddress>;
  note?: string;
}

export interface InsertedOrder {
  orderId: string;
  number: string;
  subOrderIds: string[];
  subOrderNumbers: string[];
  lineIds: string[];
  totalFen: number;
  createdAtMs: number;
}

/** The steps a package went through to reach `status`, as its timeline records them. */
const PATH: Record<SubOrderStatus, SubOrderStatus[]> = {
  pending_payment: [],
  cancelled: ["cancelled"],
  paid: ["paid"],
  dispatched: ["paid", "dispatched"],
  shipped: ["paid", "dispatched", "shipped"],
  delivered: ["paid", "dispatched", "shipped", "delivered"],
  completed: ["paid", "dispatched", "shipped", "delivered", "completed"],
  refunded: ["paid", "refunded"],
};

let sequence = 60_000;
let clock = Date.UTC(2026, 10, 20, 4);
/** Strictly increasing creation times unless a test pins one. */
function nextTime(): number {
  clock += 60_000;
  return clock;
}

function parentStatus(packages: FixturePackage[]): OrderStatus {
  const statuses = packages.map((p) => p.status ?? "paid");
  if (statuses.every((s) => s === "pending_payment")) return "pending_payment";
  if (statuses.every((s) => s === "cancelled")) return "cancelled";
  return "paid";
}

export async function insertOrder(input: FixtureOrder): Promise<InsertedOrder> {
  const d1 = env.DB;
  const at = input.createdAtMs ?? nextTime();
  const orderId = newId("ord", at);
  sequence += 1;
  const number = `${chinaDay(at)}${sequence}`;
  const status = parentStatus(input.packages);
  const address = { ...DEFAULT_ADDRESS, ...input.address };
  const statements: D1PreparedStatement[] = [];
  const event = (subOrderId: string | null, from: string | null, to: string, atMs: number) =>
    d1
      .prepare(
        `INSERT INTO order_events (id, order_id, sub_order_id, actor_type, actor_id, from_status, to_status, note, at_ms)
         VALUES (?, ?, ?, 'system', NULL, ?, ?, NULL, ?)`,
      )
      .bind(newId("oev", atMs), orderId, subOrderId, from, to, atMs);
  const result: InsertedOrder = {
    orderId,
    number,
    subOrderIds: [],
    subOrderNumbers: [],
    lineIds: [],
    totalFen: 0,
    createdAtMs: at,
  };
  let goodsFen = 0;
  let shippingFen = 0;
  let refundedFen = 0;
  input.packages.forEach((pkg, index) => {
    const subOrderId = newId("sub", at);
    const subNumber = `${number}-${index + 1}`;
    const subStatus = pkg.status ?? "paid";
    const subGoods = pkg.lines.reduce((sum, l) => sum + l.unitPriceFen * l.quantity, 0);
    const supplyFen = pkg.lines.reduce((sum, l) => sum + l.supplyPriceFen * l.quantity, 0);
    const subRefunded = pkg.lines.reduce((sum, l) => sum + (l.refundedFen ?? 0), 0);
    const subShipping = pkg.shippingFen ?? 0;
    goodsFen += subGoods;
    shippingFen += subShipping;
    refundedFen += subRefunded;
    result.subOrderIds.push(subOrderId);
    result.subOrderNumbers.push(subNumber);
    const paidAt = subStatus === "pending_payment" || subStatus === "cancelled" ? null : at + 1000;
    statements.push(
      d1
        .prepare(
          `INSERT INTO sub_orders (id, number, order_id, merchant_id, supplier_id, status, goods_fen, shipping_fen,
             discount_fen, total_fen, supply_fen, refunded_fen, paid_at_ms, created_at_ms, updated_at_ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(
          subOrderId,
          subNumber,
          orderId,
          input.merchantId,
          pkg.supplierId,
          subStatus,
          subGoods,
          subShipping,
          subGoods + subShipping,
          supplyFen,
          subRefunded,
          paidAt,
          at,
          at,
        ),
    );
    for (const line of pkg.lines) {
      const lineId = newId("oln", at);
      result.lineIds.push(lineId);
      statements.push(
        d1
          .prepare(
            `INSERT INTO order_lines (id, order_id, sub_order_id, sku_id, listing_id, product_id, sku_code, title_zh,
               options, quantity, unit_price_fen, supply_price_fen, refunded_fen)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .bind(
            lineId,
            orderId,
            subOrderId,
            newId("sku", at),
            newId("lst", at),
            newId("prd", at),
            line.skuCode ?? `CODE-${lineId.slice(-6)}`,
            line.titleZh,
            JSON.stringify(line.options ?? {}),
            line.quantity,
            line.unitPriceFen,
            line.supplyPriceFen,
            line.refundedFen ?? 0,
          ),
      );
    }
    statements.push(event(subOrderId, null, "pending_payment", at));
    let from: SubOrderStatus = "pending_payment";
    PATH[subStatus].forEach((to, step) => {
      statements.push(event(subOrderId, from, to, at + 1000 * (step + 1)));
      from = to;
    });
  });
  result.totalFen = goodsFen + shippingFen;
  statements.unshift(
    d1
      .prepare(
        `INSERT INTO orders (id, number, merchant_id, shopper_id, status, goods_fen, shipping_fen, discount_fen,
           total_fen, refunded_fen, address, note, hold_group_id, payment_expires_at_ms, paid_at_ms, cancelled_at_ms,
           created_at_ms, updated_at_ms)
         VALUES (?, ?, ?, 'shp_fixture', ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        orderId,
        number,
        input.merchantId,
        status,
        goodsFen,
        shippingFen,
        result.totalFen,
        refundedFen,
        JSON.stringify(address),
        input.note ?? null,
        orderId,
        at + 15 * 60_000,
        status === "paid" ? at + 1000 : null,
        status === "cancelled" ? at + 1000 : null,
        at,
        at,
      ),
    event(null, null, "pending_payment", at),
  );
  if (status !== "pending_payment") statements.push(event(null, "pending_payment", status, at + 1000));
  await d1.batch(statements);
  return result;
}

/** Every number anywhere in a JSON document, to prove a value (a price, a total) is not in a response at all. */
export function numbersIn(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(numbersIn);
  return [];
}

/** Every key anywhere in a JSON document. */
export function keysIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysIn);
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, inner]) => [key, ...keysIn(inner)]);
  }
  return [];
}

/** Epoch ms of a wall-clock time in China (UTC+8), e.g. `china(2026, 11, 25, 10)` for 2026-11-25 10:00. */
export function china(year: number, month: number, day: number, hour: number, minute = 0): number {
  return Date.UTC(year, month - 1, day, hour - 8, minute);
}

/**
 * Two shops and two suppliers with orders in every interesting state. Shop A's order `mixed` has one package per
 * supplier (A: paid, B: shipped); the selling prices (1990, 29, 5000) never equal a supply price or a total.
 */
export async function orderWorld() {
  const [shopA, shopB, supplierA, supplierB] = await Promise.all([
    openShop(),
    openShop(),
    applyAsSupplier(),
    applyAsSupplier(),
  ]);
  const a = shopA.merchantId;
  const mixed = await insertOrder({
    merchantId: a,
    createdAtMs: china(2026, 11, 25, 10),
    note: "请放门卫",
    packages: [
      {
        supplierId: supplierA.supplierId,
        status: "paid",
        shippingFen: 800,
        lines: [
          {
            titleZh: "纯棉T恤",
            options: { 颜色: "红色", 尺码: "M" },
            quantity: 3,
            unitPriceFen: 1990,
            supplyPriceFen: 1200,
            skuCode: "TS-R-M",
          },
          { titleZh: "船袜", quantity: 1, unitPriceFen: 29, supplyPriceFen: 10, skuCode: "SOCK-1", refundedFen: 29 },
        ],
      },
      {
        supplierId: supplierB.supplierId,
        status: "shipped",
        lines: [{ titleZh: "遮阳帽", quantity: 1, unitPriceFen: 5000, supplyPriceFen: 3000, skuCode: "HAT-1" }],
      },
    ],
  });
  const line = (titleZh: string) => ({ titleZh, quantity: 1, unitPriceFen: 2500, supplyPriceFen: 1500 });
  const unpaid = await insertOrder({
    merchantId: a,
    createdAtMs: china(2026, 11, 26, 9),
    packages: [{ supplierId: supplierA.supplierId, status: "pending_payment", lines: [line("未付款的杯子")] }],
  });
  const cancelled = await insertOrder({
    merchantId: a,
    createdAtMs: china(2026, 11, 26, 8),
    packages: [{ supplierId: supplierA.supplierId, status: "cancelled", lines: [line("已取消的杯子")] }],
  });
  const lateNight = await insertOrder({
    merchantId: a,
    createdAtMs: china(2026, 11, 24, 23, 59),
    address: { recipientName: "李四", phone: "13911112222" },
    packages: [{ supplierId: supplierB.supplierId, status: "completed", lines: [line("深夜下单的台灯")] }],
  });
  const afterMidnight = await insertOrder({
    merchantId: a,
    createdAtMs: china(2026, 11, 25, 0, 30),
    packages: [{ supplierId: supplierA.supplierId, status: "delivered", lines: [line("凌晨下单的书")] }],
  });
  const shopBOrder = await insertOrder({
    merchantId: shopB.merchantId,
    createdAtMs: china(2026, 11, 25, 12),
    address: { recipientName: "王五", phone: "13733334444" },
    packages: [{ supplierId: supplierA.supplierId, status: "paid", lines: [line("B 店的毛巾")] }],
  });
  return { shopA, shopB, supplierA, supplierB, mixed, unpaid, cancelled, lateNight, afterMidnight, shopBOrder };
}
export type OrderWorld = Awaited<ReturnType<typeof orderWorld>>;
