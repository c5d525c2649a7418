/**
 * @module orders/checkout: turns a cart (or a 立即购买 selection) into one order awaiting payment.
 *
 * Order of work, so a failure never leaves stock held without an order or an order without stock:
 * address → lines at today's listing prices → packages and shipping per supplier → hold every SKU (all or nothing)
 * → one D1 batch writing the order, its sub-orders, lines, first timeline entry and `order.placed`, and removing the
 * bought lines from the cart. If that batch fails, the holds are released before the error goes up.
 */

import { AppError } from "../../errors";
import { makeEvent, outboxStatement } from "../../events/outbox";
import { newId } from "../../lib/crypto";
import { allocateFen } from "../../lib/money";
import { type AddressSnapshot, addressBookOf, addressSnapshot } from "../addresses/service";
import { deleteLineStatement, rawLines } from "../cart/repository";
import { type HoldAllResult, holdAll, releaseAll } from "../inventory/service";
import { quoteShipping } from "../shipping/service";
import { parseOptions } from "../storefront/views";
import { nextOrderNumber, subOrderNumber } from "./numbers";
import { type CheckoutSkuRow, checkoutSkus, orderEventStatement } from "./repository";
import {
  type CheckoutInput,
  DEFAULT_PAYMENT_WINDOW_MS,
  HOLD_GRACE_MS,
  type OrderView,
  type PreviewView,
} from "./schemas";
import { orderViewFor } from "./service";
import { lineImage } from "./views";

export interface Buyer {
  merchantId: string;
  shopperId: string;
}

interface Item {
  skuId: string;
  quantity: number;
}

interface PricedLine extends Item {
  sku: CheckoutSkuRow & { priceFen: number };
  lineTotalFen: number;
  discountFen: number;
}

interface Package {
  supplierId: string;
  lines: PricedLine[];
  goodsFen: number;
  weightGrams: number;
  shippingFen: number;
  discountFen: number;
  totalFen: number;
}

interface Priced {
  packages: Package[];
  goodsFen: number;
  shippingFen: number;
  discountFen: number;
  totalFen: number;
}

export function paymentWindowMs(env: Env): number {
  const minutes = Number(env.PAYMENT_WINDOW_MINUTES);
  return Number.isSafeInteger(minutes) && minutes > 0 ? minutes * 60_000 : DEFAULT_PAYMENT_WINDOW_MS;
}

/** The selection, or the cart; two entries of one SKU become one line. */
async function wantedItems(d1: D1Database, buyer: Buyer, items: Item[] | undefined): Promise<Item[]> {
  const source =
    items ??
    (await rawLines(d1, { merchantId: buyer.merchantId, type: "shopper", id: buyer.shopperId })).map((line) => ({
      skuId: line.skuId,
      quantity: line.quantity,
    }));
  const totals = new Map<string, number>();
  for (const item of source) totals.set(item.skuId, (totals.get(item.skuId) ?? 0) + item.quantity);
  return [...totals].map(([skuId, quantity]) => ({ skuId, quantity }));
}

async function priceLines(d1: D1Database, merchantId: string, items: Item[]): Promise<PricedLine[]> {
  if (items.length === 0) throw new AppError("cart_empty", "Add something to the cart first");
  const rows = new Map(
    (
      await checkoutSkus(
        d1,
        merchantId,
        items.map((i) => i.skuId),
      )
    ).map((r) => [r.skuId, r]),
  );
  return items.map((item) => {
    const sku = rows.get(item.skuId);
    if (!sku) {
      throw new AppError("sku_not_in_shop", `This shop does not sell ${item.skuId}`, {
        extensions: { skuId: item.skuId },
      });
    }
    if (sku.onSale !== 1 || sku.priceFen === null) {
      throw new AppError("listing_unavailable", `${sku.titleZh} is not on sale right now`, {
        extensions: { skuId: item.skuId },
      });
    }
    const priceFen = sku.priceFen;
    return { ...item, sku: { ...sku, priceFen }, lineTotalFen: priceFen * item.quantity, discountFen: 0 };
  });
}

/** Groups lines by supplier, quotes each package's shipping and spreads the discount over the lines. */
async function pricePackages(
  d1: D1Database,
  lines: PricedLine[],
  province: string,
  discountFen: number,
): Promise<Priced> {
  const bySupplier = new Map<string, PricedLine[]>();
  for (const line of lines) bySupplier.set(line.sku.supplierId, [...(bySupplier.get(line.sku.supplierId) ?? []), line]);
  const groups = [...bySupplier].sort(([a], [b]) => a.localeCompare(b));
  const quote = await quoteShipping(
    d1,
    groups.map(([supplierId, group]) => ({
      supplierId,
      goodsFen: group.reduce((sum, l) => sum + l.lineTotalFen, 0),
      weightGrams: group.reduce((sum, l) => sum + l.sku.weightGrams * l.quantity, 0),
    })),
    province,
  );
  const flat = groups.flatMap(([, group]) => group);
  const shares = allocateFen(
    discountFen,
    flat.map((l) => l.lineTotalFen),
  );
  flat.forEach((line, i) => {
    line.discountFen = shares[i] ?? 0;
  });
  const packages = groups.map(([supplierId, group], i) => {
    const goodsFen = group.reduce((sum, l) => sum + l.lineTotalFen, 0);
    const shippingFen = quote.packages[i]?.feeFen ?? 0;
    const packageDiscount = group.reduce((sum, l) => sum + l.discountFen, 0);
    return {
      supplierId,
      lines: group,
      goodsFen,
      weightGrams: group.reduce((sum, l) => sum + l.sku.weightGrams * l.quantity, 0),
      shippingFen,
      discountFen: packageDiscount,
      totalFen: goodsFen + shippingFen - packageDiscount,
    };
  });
  const goodsFen = packages.reduce((sum, p) => sum + p.goodsFen, 0);
  const shippingFen = packages.reduce((sum, p) => sum + p.shippingFen, 0);
  return { packages, goodsFen, shippingFen, discountFen, totalFen: goodsFen + shippingFen - discountFen };
}

function previewOf(priced: Priced, addressId: string | null): PreviewView {
  return {
    packages: priced.packages.map((pkg) => ({
      supplierId: pkg.supplierId,
      lines: pkg.lines.map((line) => ({
        skuId: line.skuId,
        title: { zh: line.sku.titleZh, en: line.sku.titleEn },
        options: parseOptions(line.sku.options),
        image: lineImage(line.sku.imageKey, line.sku.imageAlt ?? line.sku.titleZh),
        quantity: line.quantity,
        unitPriceFen: line.sku.priceFen,
        lineTotalFen: line.lineTotalFen,
      })),
      goodsFen: pkg.goodsFen,
      shippingFen: pkg.shippingFen,
      discountFen: pkg.discountFen,
      totalFen: pkg.totalFen,
    })),
    goodsFen: priced.goodsFen,
    shippingFen: priced.shippingFen,
    discountFen: priced.discountFen,
    totalFen: priced.totalFen,
    addressId,
  };
}

/** What checkout would charge now, without holding anything: the checkout page shows this. */
export async function previewCheckout(
  d1: D1Database,
  buyer: Buyer,
  input: { addressId?: string; items?: Item[] },
): Promise<PreviewView> {
  const address = input.addressId
    ? await addressSnapshot(d1, buyer.shopperId, input.addressId)
    : ((await addressBookOf(d1, buyer.shopperId)).items[0] ?? null);
  const lines = await priceLines(d1, buyer.merchantId, await wantedItems(d1, buyer, input.items));
  const priced = await pricePackages(d1, lines, address?.province ?? "", 0);
  return previewOf(priced, address?.id ?? null);
}

function holdRefusal(result: Exclude<HoldAllResult, { ok: true }>): AppError {
  switch (result.reason) {
    case "insufficient":
      return new AppError("insufficient_stock", `Only ${result.available} left of ${result.skuId}`, {
        extensions: { skuId: result.skuId, available: result.available },
      });
    case "too_many_units":
      return new AppError("hold_limit_reached", `You already hold ${result.heldUnits} items in unpaid orders`, {
        extensions: { heldUnits: result.heldUnits, maxUnits: result.maxUnits },
      });
    case "too_many_checkouts":
      return new AppError("too_many_open_checkouts", `You have ${result.openCheckouts} unpaid orders`, {
        extensions: { openCheckouts: result.openCheckouts, maxCheckouts: result.maxCheckouts },
      });
    case "unknown_sku":
      return new AppError("sku_not_in_shop", `This shop does not sell ${result.skuId}`, {
        extensions: { skuId: result.skuId },
      });
    case "expired":
    case "hold_mismatch":
      return new AppError("conflict", "This checkout attempt is closed; try again");
  }
}

function orderStatements(
  d1: D1Database,
  ids: { orderId: string; number: string },
  buyer: Buyer,
  address: AddressSnapshot,
  priced: Priced,
  note: string | null,
  times: { nowMs: number; expiresAtMs: number },
): D1PreparedStatement[] {
  const { orderId, number } = ids;
  const { nowMs, expiresAtMs } = times;
  const statements: D1PreparedStatement[] = [
    d1
      .prepare(
        `INSERT INTO orders (id, number, merchant_id, shopper_id, status, goods_fen, shipping_fen, discount_fen,
           total_fen, address, note, hold_group_id, payment_expires_at_ms, created_at_ms, updated_at_ms)
         VALUES (?1, ?2, ?3, ?4, 'pending_payment', ?5, ?6, ?7, ?8, ?9, ?10, ?1, ?11, ?12, ?12)`,
      )
      .bind(
        orderId,
        number,
        buyer.merchantId,
        buyer.shopperId,
        priced.goodsFen,
        priced.shippingFen,
        priced.discountFen,
        priced.totalFen,
        JSON.stringify(address),
        note,
        expiresAtMs,
        nowMs,
      ),
    orderEventStatement(d1, {
      id: newId("oev", nowMs),
      orderId,
      subOrderId: null,
      actor: { type: "shopper", id: buyer.shopperId },
      from: null,
      to: "pending_payment",
      note: null,
      atMs: nowMs,
    }),
  ];
  priced.packages.forEach((pkg, index) => {
    const subOrderId = newId("sub", nowMs);
    const supplyFen = pkg.lines.reduce((sum, l) => sum + l.sku.supplyPriceFen * l.quantity, 0);
    statements.push(
      d1
        .prepare(
          `INSERT INTO sub_orders (id, number, order_id, merchant_id, supplier_id, status, goods_fen, shipping_fen,
             discount_fen, total_fen, supply_fen, created_at_ms, updated_at_ms)
           VALUES (?1, ?2, ?3, ?4, ?5, 'pending_payment', ?6, ?7, ?8, ?9, ?10, ?11, ?11)`,
        )
        .bind(
          subOrderId,
          subOrderNumber(number, index),
          orderId,
          buyer.merchantId,
          pkg.supplierId,
          pkg.goodsFen,
          pkg.shippingFen,
          pkg.discountFen,
          pkg.totalFen,
          supplyFen,
          nowMs,
        ),
    );
    for (const line of pkg.lines) {
      statements.push(
        d1
          .prepare(
            `INSERT INTO order_lines (id, order_id, sub_order_id, sku_id, listing_id, product_id, sku_code, title_zh,
               title_en, options, image_key, quantity, unit_price_fen, supply_price_fen, weight_grams, discount_fen)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)`,
          )
          .bind(
            newId("oln", nowMs),
            orderId,
            subOrderId,
            line.skuId,
            line.sku.listingId,
            line.sku.productId,
            line.sku.skuCode,
            line.sku.titleZh,
            line.sku.titleEn,
            line.sku.options,
            line.sku.imageKey,
            line.quantity,
            line.sku.priceFen,
            line.sku.supplyPriceFen,
            line.sku.weightGrams,
            line.discountFen,
          ),
      );
    }
  });
  return statements;
}

/**
 * Places the order: holds stock for the payment window (plus a grace period) and records everything in one batch.
 * The route is idempotent by Idempotency-Key, so a retried request replays this answer instead of buying twice.
 * @example const order = await placeOrder(env, { merchantId, shopperId }, { addressId })
 */
export async function placeOrder(env: Env, buyer: Buyer, input: CheckoutInput, nowMs = Date.now()): Promise<OrderView> {
  const d1 = env.DB;
  const address = await addressSnapshot(d1, buyer.shopperId, input.addressId);
  const lines = await priceLines(d1, buyer.merchantId, await wantedItems(d1, buyer, input.items));
  const priced = await pricePackages(d1, lines, address.province, 0);
  if (input.expectedTotalFen !== undefined && input.expectedTotalFen !== priced.totalFen) {
    throw new AppError("total_changed", "Prices or shipping changed; check the new total", {
      extensions: { totalFen: priced.totalFen },
    });
  }
  const orderId = newId("ord", nowMs);
  const windowMs = paymentWindowMs(env);
  const held = await holdAll(
    env,
    orderId,
    lines.map((l) => ({ skuId: l.skuId, qty: l.quantity })),
    windowMs + HOLD_GRACE_MS,
    { shopperId: buyer.shopperId, nowMs },
  );
  if (!held.ok) throw holdRefusal(held);
  const skuIds = lines.map((l) => l.skuId);
  try {
    const number = await nextOrderNumber(d1, nowMs);
    const expiresAtMs = nowMs + windowMs;
    const event = makeEvent(
      "order.placed",
      {
        orderId,
        number,
        merchantId: buyer.merchantId,
        shopperId: buyer.shopperId,
        totalFen: priced.totalFen,
        paymentExpiresAtMs: expiresAtMs,
      },
      nowMs,
    );
    const owner = { merchantId: buyer.merchantId, type: "shopper" as const, id: buyer.shopperId };
    await d1.batch([
      ...orderStatements(d1, { orderId, number }, buyer, address, priced, input.note ?? null, { nowMs, expiresAtMs }),
      outboxStatement(d1, event),
      // 立即购买 leaves the cart alone; checking out the cart empties what was bought.
      ...(input.items ? [] : skuIds.map((skuId) => deleteLineStatement(d1, owner, skuId))),
    ]);
  } catch (error) {
    await releaseAll(env, orderId, skuIds, { shopperId: buyer.shopperId });
    throw error;
  }
  return orderViewFor(d1, orderId, { kind: "system" });
}
