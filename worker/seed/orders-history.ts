/**
 * @module seed/orders-history: the demo shopper's past orders as data — what each bought from which listing, how it
 * split into one package per supplier, and when each package reached each state. Goods, quantities and hours come
 * from a PRNG seeded with the order id; dates count back from the start of today in China time, so the history is the
 * same all day and every seeded number belongs to a day live checkouts no longer number.
 */
import type { SubOrderStatus } from "../db/schema/orders.ts";
import { chinaDay, subOrderNumber } from "../modules/orders/numbers.ts";
import type { DemoCatalog } from "./catalog.ts";
import type { SeedListing } from "./catalog-shops.ts";
import type { SeedProduct } from "./catalog-types.ts";
import { DEMO_ACCOUNTS, DEMO_SHOPPER } from "./demo.ts";
import { DEMO_ORDER_NOTES, PLANS, STEPS, type Step, type Target } from "./orders-plans.ts";
import { between, type Rng, rng, within } from "./prng.ts";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const CHINA_OFFSET_MS = 8 * HOUR;
/** wrangler.toml PAYMENT_WINDOW_MINUTES and AUTO_COMPLETE_DAYS, which the cron jobs apply. */
const PAYMENT_WINDOW_MS = 15 * MINUTE;
const AUTO_COMPLETE_MS = 7 * DAY;
/** The demo shop's banner promises free shipping from ¥99; below it a package costs its supplier's flat fee. */
const FREE_SHIPPING_FROM_FEN = 9900;
const COLD_CHAIN = new Set(["sup_demo_fresh"]);

export interface DemoLine {
  id: string;
  skuId: string;
  listingId: string;
  productId: string;
  skuCode: string;
  titleZh: string;
  titleEn: string | null;
  /** JSON, as the SKU row stores it. */
  options: string;
  imageKey: string | null;
  quantity: number;
  unitPriceFen: number;
  supplyPriceFen: number;
  weightGrams: number;
}

export interface DemoSubOrder {
  id: string;
  number: string;
  supplierId: string;
  status: SubOrderStatus;
  goodsFen: number;
  shippingFen: number;
  totalFen: number;
  supplyFen: number;
  lines: DemoLine[];
  paidAtMs: number | null;
  dispatchedAtMs: number | null;
  shippedAtMs: number | null;
  deliveredAtMs: number | null;
  completedAtMs: number | null;
  updatedAtMs: number;
}

export interface DemoEvent {
  id: string;
  subOrderId: string | null;
  actorType: "shopper" | "payment" | "supplier" | "system";
  actorId: string | null;
  from: SubOrderStatus | null;
  to: SubOrderStatus;
  note: string | null;
  atMs: number;
}

export interface DemoOrder {
  id: string;
  number: string;
  merchantId: string;
  status: "paid" | "cancelled";
  goodsFen: number;
  shippingFen: number;
  totalFen: number;
  note: string | null;
  createdAtMs: number;
  updatedAtMs: number;
  paymentExpiresAtMs: number;
  paidAtMs: number | null;
  cancelledAtMs: number | null;
  cancelReason: string | null;
  subOrders: DemoSubOrder[];
  events: DemoEvent[];
  /** The devpay payment that paid the order (our `payments` row and the rail's own trade). */
  payment: { id: string; prepayId: string; transactionId: string; createdAtMs: number } | null;
}

/** Midnight at the start of `nowMs`'s day in China. */
export function chinaDayStart(nowMs: number): number {
  return Math.floor((nowMs + CHINA_OFFSET_MS) / DAY) * DAY - CHINA_OFFSET_MS;
}

function pick<T>(r: Rng, items: readonly T[]): T {
  const item = items[between(r, 0, items.length - 1)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

interface Shelf {
  listing: SeedListing;
  product: SeedProduct;
}

/** 1–3 lines from distinct listings; sometimes from two suppliers, so the order splits into two packages. */
function pickLines(r: Rng, orderKey: string, shelves: Map<string, Shelf[]>): { supplierId: string; line: DemoLine }[] {
  const suppliers = [...shelves.keys()].sort();
  const first = pick(r, suppliers);
  const others = suppliers.filter((s) => s !== first);
  const chosen = others.length > 0 && r() < 0.3 ? [first, pick(r, others)] : [first];
  const count = chosen.length === 2 ? between(r, 2, 3) : pick(r, [1, 1, 1, 2, 2, 3]);
  const used = new Set<string>();
  const picked: { supplierId: string; line: Omit<DemoLine, "id"> }[] = [];
  for (let i = 0; i < count; i++) {
    const supplierId = chosen[i] ?? pick(r, chosen);
    const free = (shelves.get(supplierId) ?? []).filter((s) => !used.has(s.listing.id));
    if (free.length === 0) continue;
    const { listing, product } = pick(r, free);
    used.add(listing.id);
    const priced = pick(r, listing.skus);
    const sku = product.skus.find((s) => s.id === priced.skuId);
    if (!sku) throw new Error(`listing ${listing.id} sells unknown SKU ${priced.skuId}`);
    const image = [...product.images].sort((a, b) => a.sort - b.sort || a.id.localeCompare(b.id))[0];
    picked.push({
      supplierId,
      line: {
        skuId: sku.id,
        listingId: listing.id,
        productId: product.id,
        skuCode: sku.code,
        titleZh: product.titleZh,
        titleEn: product.titleEn,
        options: JSON.stringify(sku.options),
        imageKey: image?.r2Key ?? null,
        quantity: r() < 0.7 ? 1 : between(r, 2, 3),
        unitPriceFen: priced.priceFen,
        supplyPriceFen: sku.supplyPriceFen,
        weightGrams: sku.weightGrams,
      },
    });
  }
  // Lines are stored package by package, packages in supplier-id order, as checkout writes them.
  picked.sort((a, b) => a.supplierId.localeCompare(b.supplierId));
  return picked.map(({ supplierId, line }, i) => ({ supplierId, line: { id: `oln_${orderKey}_${i + 1}`, ...line } }));
}

/**
 * When one package reached each step after payment. Transit times are drawn at full length and squeezed when the
 * target would otherwise fall after `limitMs`; the week before auto-completion is never squeezed.
 */
function stepTimes(r: Rng, paidAtMs: number, target: Target, limitMs: number, orderId: string) {
  const reached = STEPS.slice(0, (STEPS as readonly Target[]).indexOf(target) + 1);
  const flexible: Record<Exclude<Step, "completed">, number> = {
    dispatched: within(r, 2, 18) * HOUR,
    shipped: within(r, 1, 8) * HOUR,
    delivered: within(r, 30, 60) * HOUR,
  };
  const fixed = reached.includes("completed") ? AUTO_COMPLETE_MS + between(r, 5, 59) * SECOND : 0;
  const squeezable = reached.reduce((sum, step) => sum + (step === "completed" ? 0 : flexible[step]), 0);
  const room = limitMs - paidAtMs - fixed;
  if (room <= 0) throw new Error(`demo order ${orderId} cannot be ${target} before today`);
  const factor = Math.min(1, room / Math.max(squeezable, 1));
  const times: Partial<Record<Step, number>> = {};
  let at = paidAtMs;
  for (const step of reached) {
    at += step === "completed" ? fixed : Math.round(flexible[step] * factor);
    times[step] = at;
  }
  return times;
}

function supplierUser(supplierId: string): string | null {
  return DEMO_ACCOUNTS.find((a) => a.org[0] === "supplier" && a.org[1] === supplierId)?.id ?? null;
}

interface Actor {
  type: DemoEvent["actorType"];
  id: string | null;
}

interface Slot {
  key: string;
  merchantId: string;
  target: Target;
  createdAtMs: number;
  number: string;
}

function buildOrder(slot: Slot, shelves: Map<string, Shelf[]>, limitMs: number): DemoOrder {
  const id = `ord_${slot.key}`;
  const r = rng(id);
  const createdAtMs = slot.createdAtMs;
  const bySupplier = new Map<string, DemoLine[]>();
  for (const { supplierId, line } of pickLines(r, slot.key, shelves)) {
    bySupplier.set(supplierId, [...(bySupplier.get(supplierId) ?? []), line]);
  }
  const cancelled = slot.target === "cancelled";
  const paidAtMs = cancelled ? null : createdAtMs + between(r, 40, 600) * SECOND;
  const cancelledAtMs = cancelled ? createdAtMs + PAYMENT_WINDOW_MS + between(r, 1, 59) * SECOND : null;
  const transactionId = `dptx_${slot.key}`;
  const events: Omit<DemoEvent, "id">[] = [];
  const record = (
    subOrderId: string | null,
    actor: Actor,
    from: SubOrderStatus | null,
    to: SubOrderStatus,
    atMs: number,
    note: string | null = null,
  ) => events.push({ subOrderId, actorType: actor.type, actorId: actor.id, from, to, note, atMs });
  const shopper: Actor = { type: "shopper", id: DEMO_SHOPPER.id };
  const system: Actor = { type: "system", id: null };
  const payment: Actor = { type: "payment", id: transactionId };
  record(null, shopper, null, "pending_payment", createdAtMs);
  if (cancelledAtMs !== null) record(null, system, "pending_payment", "cancelled", cancelledAtMs, "payment_timeout");
  if (paidAtMs !== null) record(null, payment, "pending_payment", "paid", paidAtMs);
  const subOrders = [...bySupplier.keys()].sort().map((supplierId, index): DemoSubOrder => {
    const subId = `sub_${slot.key}_${index + 1}`;
    const own = bySupplier.get(supplierId) ?? [];
    const goodsFen = own.reduce((sum, l) => sum + l.unitPriceFen * l.quantity, 0);
    const shippingFen = goodsFen >= FREE_SHIPPING_FROM_FEN ? 0 : COLD_CHAIN.has(supplierId) ? 800 : 600;
    const times = paidAtMs === null ? {} : stepTimes(r, paidAtMs, slot.target, limitMs, id);
    // As in the real transitions: the parent's entry carries the reason, each package's entry none.
    if (cancelledAtMs !== null) record(subId, system, "pending_payment", "cancelled", cancelledAtMs);
    if (paidAtMs !== null) record(subId, payment, "pending_payment", "paid", paidAtMs);
    const supplier: Actor = { type: "supplier", id: supplierUser(supplierId) };
    let status: SubOrderStatus = cancelled ? "cancelled" : "paid";
    for (const step of STEPS) {
      const at = times[step];
      if (at === undefined) continue;
      const actor = step === "dispatched" || step === "shipped" ? supplier : system;
      record(subId, actor, status, step, at, step === "completed" ? "auto_complete" : null);
      status = step;
    }
    return {
      id: subId,
      number: subOrderNumber(slot.number, index),
      supplierId,
      status,
      goodsFen,
      shippingFen,
      totalFen: goodsFen + shippingFen,
      supplyFen: own.reduce((sum, l) => sum + l.supplyPriceFen * l.quantity, 0),
      lines: own,
      paidAtMs,
      dispatchedAtMs: times.dispatched ?? null,
      shippedAtMs: times.shipped ?? null,
      deliveredAtMs: times.delivered ?? null,
      completedAtMs: times.completed ?? null,
      updatedAtMs: Math.max(createdAtMs, cancelledAtMs ?? 0, paidAtMs ?? 0, ...Object.values(times)),
    };
  });
  const goodsFen = subOrders.reduce((sum, s) => sum + s.goodsFen, 0);
  const shippingFen = subOrders.reduce((sum, s) => sum + s.shippingFen, 0);
  return {
    id,
    number: slot.number,
    merchantId: slot.merchantId,
    status: cancelled ? "cancelled" : "paid",
    goodsFen,
    shippingFen,
    totalFen: subOrders.reduce((sum, s) => sum + s.totalFen, 0),
    note: r() < 0.2 ? pick(r, DEMO_ORDER_NOTES) : null,
    createdAtMs,
    updatedAtMs: cancelledAtMs ?? paidAtMs ?? createdAtMs,
    paymentExpiresAtMs: createdAtMs + PAYMENT_WINDOW_MS,
    paidAtMs,
    cancelledAtMs,
    cancelReason: cancelled ? "payment_timeout" : null,
    subOrders,
    // Stable sort: the parent's entry stays ahead of its packages' entries of the same moment.
    events: events
      .sort((a, b) => a.atMs - b.atMs)
      .map((e, i) => ({ id: `oev_${slot.key}_${String(i + 1).padStart(2, "0")}`, ...e })),
    payment:
      paidAtMs === null
        ? null
        : {
            id: `pay_${slot.key}`,
            prepayId: `dpp_${slot.key}`,
            transactionId,
            createdAtMs: createdAtMs + between(r, 15, 35) * SECOND,
          },
  };
}

/** Each shop's listings with their products, grouped by supplier. */
function shelvesOf(catalog: DemoCatalog, merchantId: string): Map<string, Shelf[]> {
  const products = new Map(catalog.products.map((p) => [p.id, p]));
  const shelves = new Map<string, Shelf[]>();
  for (const listing of catalog.shops.find((s) => s.merchantId === merchantId)?.listings ?? []) {
    const product = products.get(listing.productId);
    if (product?.status !== "listed") continue;
    shelves.set(product.supplierId, [...(shelves.get(product.supplierId) ?? []), { listing, product }]);
  }
  if (shelves.size === 0) throw new Error(`demo shop ${merchantId} lists nothing to order`);
  return shelves;
}

/**
 * The demo shopper's order history in 演示小店 and 萌宝母婴馆, oldest first within each shop. Numbers follow the
 * platform-wide daily sequence in order of checkout time, starting at 00001 each China day.
 * @example demoOrders(demoCatalog(now), now).filter((o) => o.status === "cancelled")
 */
export function demoOrders(catalog: DemoCatalog, nowMs: number): DemoOrder[] {
  const todayStart = chinaDayStart(nowMs);
  let n = 0;
  const slots: Slot[] = PLANS.flatMap((plan) =>
    plan.orders.map(([daysAgo, target]) => {
      n += 1;
      const key = `demo_${String(n).padStart(4, "0")}`;
      const r = rng(`${key}:placed`);
      const timeOfDay = between(r, 8, 22) * HOUR + between(r, 0, 59) * MINUTE + between(r, 0, 59) * SECOND;
      return {
        key,
        merchantId: plan.merchantId,
        target,
        createdAtMs: todayStart - daysAgo * DAY + timeOfDay,
        number: "",
      };
    }),
  );
  const perDay = new Map<string, number>();
  for (const slot of [...slots].sort((a, b) => a.createdAtMs - b.createdAtMs)) {
    const day = chinaDay(slot.createdAtMs);
    const sequence = (perDay.get(day) ?? 0) + 1;
    perDay.set(day, sequence);
    slot.number = `${day}${String(sequence).padStart(5, "0")}`;
  }
  const shelves = new Map(PLANS.map((p) => [p.merchantId, shelvesOf(catalog, p.merchantId)]));
  // Everything happened before today began, so the history reads the same at any hour of the day.
  const limitMs = todayStart - MINUTE;
  return slots.map((slot) => buildOrder(slot, shelves.get(slot.merchantId) ?? new Map(), limitMs));
}
