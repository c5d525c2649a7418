import { beforeAll, describe, expect, it } from "vitest";
import { call, platformAdmin, type Session } from "../helpers";
import { china, insertOrder, type OrderWorld, orderWorld } from "../support/order-fixtures";
import { addStaff, bearer, createKey, openShop } from "../support/tenants";

interface Row {
  id: string;
  number: string;
  status: string;
  subOrderStatuses: string[];
  itemCount: number;
  totalFen: number;
  refundedFen: number;
  recipientName: string;
  phoneMasked: string;
  merchantId?: string;
}

interface SubRow {
  id: string;
  number: string;
  status: string;
  supplyFen: number;
  shopName: string;
  itemCount: number;
}

let world: OrderWorld;
let admin: Session;

async function getJson<T>(path: string, session: Session): Promise<T> {
  const res = await call(path, { session });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<T>();
}

async function merchantNumbers(query: string, session: Session = world.shopA): Promise<string[]> {
  const body = await getJson<{ orders: Row[] }>(`/api/merchant/orders?${query}`, session);
  return body.orders.map((o) => o.number);
}

beforeAll(async () => {
  [world, admin] = await Promise.all([orderWorld(), platformAdmin()]);
});

describe("the merchant's order list", () => {
  it("shows the shop's orders newest first, each with its packages, pieces, money and a masked phone", async () => {
    const body = await getJson<{ orders: Row[]; nextCursor: string | null }>("/api/merchant/orders", world.shopA);
    expect(body.orders.map((o) => o.id)).toEqual([
      world.unpaid.orderId,
      world.cancelled.orderId,
      world.mixed.orderId,
      world.afterMidnight.orderId,
      world.lateNight.orderId,
    ]);
    expect(body.nextCursor).toBeNull();
    expect(body.orders[2]).toEqual({
      id: world.mixed.orderId,
      number: world.mixed.number,
      createdAtMs: china(2026, 11, 25, 10),
      status: "paid",
      subOrderStatuses: ["paid", "shipped"],
      itemCount: 5,
      totalFen: 3 * 1990 + 29 + 5000 + 800,
      refundedFen: 29,
      recipientName: "张三",
      phoneMasked: "138****8000",
    });
  });

  it.each([
    ["pending_payment", "unpaid"],
    ["cancelled", "cancelled"],
    ["shipped", "mixed"],
    ["paid", "mixed"],
    ["delivered", "afterMidnight"],
    ["completed", "lateNight"],
  ] as const)("status=%s shows the orders with that status or a package in it", async (status, key) => {
    expect(await merchantNumbers(`status=${status}`)).toEqual([world[key].number]);
  });

  it("from/to are whole days in China time: 00:30 on the 25th is in, 23:59 on the 24th is not", async () => {
    expect(await merchantNumbers("from=2026-11-25&to=2026-11-25")).toEqual([
      world.mixed.number,
      world.afterMidnight.number,
    ]);
    expect(await merchantNumbers("to=2026-11-24")).toEqual([world.lateNight.number]);
    expect(await merchantNumbers("from=2026-11-26")).toEqual([world.unpaid.number, world.cancelled.number]);
  });

  it("q finds an order by number, by number prefix, by a package number, or by the recipient's phone", async () => {
    expect(await merchantNumbers(`q=${world.mixed.number}`)).toEqual([world.mixed.number]);
    expect(await merchantNumbers(`q=${world.mixed.subOrderNumbers[1]}`)).toEqual([world.mixed.number]);
    expect(await merchantNumbers("q=13911112222")).toEqual([world.lateNight.number]);
    expect(await merchantNumbers("q=20261125")).toEqual([world.mixed.number, world.afterMidnight.number]);
  });

  it("filters combine", async () => {
    expect(await merchantNumbers("status=delivered&from=2026-11-25&q=20261125")).toEqual([world.afterMidnight.number]);
    expect(await merchantNumbers("status=completed&from=2026-11-25")).toEqual([]);
  });

  it("a shop's staff and its API key see the same list as the owner", async () => {
    const staff = await addStaff(world.shopA, "merchant");
    const key = await createKey(world.shopA, "merchant");
    const byKey = await call("/api/merchant/orders", { headers: bearer(key.secret) });
    const owner = await merchantNumbers("");
    expect(await merchantNumbers("", staff)).toEqual(owner);
    expect((await byKey.json<{ orders: Row[] }>()).orders.map((o) => o.number)).toEqual(owner);
  });
});

describe("paging through the merchant's orders", () => {
  it("pages of 3 cover every order exactly once, in order, even when two share a creation time", async () => {
    const shop = await openShop();
    const same = china(2026, 11, 1, 12);
    const made = [];
    for (const at of [same, same, same - 1, same + 1, china(2026, 11, 2, 8), china(2026, 10, 30, 8), same + 2]) {
      made.push(
        await insertOrder({
          merchantId: shop.merchantId,
          createdAtMs: at,
          packages: [
            {
              supplierId: "sup_paging",
              lines: [{ titleZh: "翻页", quantity: 1, unitPriceFen: 100, supplyPriceFen: 50 }],
            },
          ],
        }),
      );
    }
    const expected = [...made]
      .sort((x, y) => y.createdAtMs - x.createdAtMs || (x.orderId < y.orderId ? 1 : -1))
      .map((o) => o.orderId);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `limit=3&cursor=${cursor}` : "limit=3";
      const page: { orders: Row[]; nextCursor: string | null } = await getJson(`/api/merchant/orders?${query}`, shop);
      seen.push(...page.orders.map((o) => o.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(expected);
  });
});

describe("the merchant's order detail", () => {
  it("shows address, packages with lines, refunds, the timeline and what the shop pays each supplier", async () => {
    const order = await getJson<{
      number: string;
      address: { recipientName: string; phone: string };
      note: string;
      refundedFen: number;
      subOrders: {
        number: string;
        supplierName: string;
        supplyFen: number;
        status: string;
        lines: {
          title: { zh: string };
          skuCode: string;
          unitPriceFen: number;
          supplyPriceFen: number;
          refundedFen: number;
        }[];
      }[];
      timeline: { subOrderId: string | null; to: string }[];
    }>(`/api/merchant/orders/${world.mixed.orderId}`, world.shopA);
    expect(order.number).toBe(world.mixed.number);
    expect(order.address).toMatchObject({ recipientName: "张三", phone: "13800138000" });
    expect(order.note).toBe("请放门卫");
    expect(order.refundedFen).toBe(29);
    const [first, second] = order.subOrders;
    expect(first).toMatchObject({ number: world.mixed.subOrderNumbers[0], status: "paid", supplyFen: 3 * 1200 + 10 });
    expect(first?.supplierName).toBe(world.supplierA.name);
    expect(first?.lines.map((l) => [l.title.zh, l.skuCode, l.unitPriceFen, l.supplyPriceFen, l.refundedFen])).toEqual([
      ["纯棉T恤", "TS-R-M", 1990, 1200, 0],
      ["船袜", "SOCK-1", 29, 10, 29],
    ]);
    expect(second).toMatchObject({ status: "shipped", supplyFen: 3000, supplierName: world.supplierB.name });
    expect(order.timeline.filter((e) => e.subOrderId === null).map((e) => e.to)).toEqual(["pending_payment", "paid"]);
    expect(order.timeline.length).toBeGreaterThan(5);
  });
});

describe("the supplier's packages", () => {
  it("lists only its own paid-or-later packages, from every shop, newest first", async () => {
    const body = await getJson<{ subOrders: SubRow[] }>("/api/supplier/sub-orders", world.supplierA);
    expect(body.subOrders.map((s) => s.number)).toEqual([
      `${world.shopBOrder.number}-1`,
      world.mixed.subOrderNumbers[0],
      `${world.afterMidnight.number}-1`,
    ]);
    expect(body.subOrders[1]).toMatchObject({
      status: "paid",
      supplyFen: 3610,
      itemCount: 4,
      shopName: expect.stringContaining(world.shopA.slug),
    });
  });

  it("filters by status, day and number, and pages without gaps", async () => {
    const numbers = async (query: string) =>
      (await getJson<{ subOrders: SubRow[] }>(`/api/supplier/sub-orders?${query}`, world.supplierA)).subOrders.map(
        (s) => s.number,
      );
    expect(await numbers("status=delivered")).toEqual([`${world.afterMidnight.number}-1`]);
    expect(await numbers("status=paid&from=2026-11-25&to=2026-11-25")).toEqual([
      `${world.shopBOrder.number}-1`,
      world.mixed.subOrderNumbers[0],
    ]);
    expect(await numbers(`q=${world.mixed.number}`)).toEqual([world.mixed.subOrderNumbers[0]]);
    const first = await getJson<{ subOrders: SubRow[]; nextCursor: string }>(
      "/api/supplier/sub-orders?limit=2",
      world.supplierA,
    );
    const rest = await getJson<{ subOrders: SubRow[]; nextCursor: string | null }>(
      `/api/supplier/sub-orders?limit=2&cursor=${first.nextCursor}`,
      world.supplierA,
    );
    expect([...first.subOrders, ...rest.subOrders].map((s) => s.number)).toEqual(await numbers(""));
    expect(rest.nextCursor).toBeNull();
  });

  it("the package detail has what packing needs: codes, supply prices, shop name, address, note, its timeline", async () => {
    const sub = await getJson<{
      number: string;
      shopName: string;
      supplyFen: number;
      note: string;
      address: { recipientName: string; phone: string; detail: string };
      lines: {
        skuCode: string;
        options: Record<string, string>;
        quantity: number;
        supplyPriceFen: number;
        supplyTotalFen: number;
      }[];
      paidAtMs: number;
      timeline: { subOrderId: string; from: string | null; to: string }[];
    }>(`/api/supplier/sub-orders/${world.mixed.subOrderIds[0]}`, world.supplierA);
    expect(sub).toMatchObject({ number: world.mixed.subOrderNumbers[0], supplyFen: 3610, note: "请放门卫" });
    expect(sub.shopName).toContain(world.shopA.slug);
    expect(sub.address).toMatchObject({ recipientName: "张三", phone: "13800138000", detail: "科技园路 1 号" });
    expect(sub.lines).toEqual([
      expect.objectContaining({
        skuCode: "TS-R-M",
        options: { 颜色: "红色", 尺码: "M" },
        quantity: 3,
        supplyPriceFen: 1200,
        supplyTotalFen: 3600,
      }),
      expect.objectContaining({ skuCode: "SOCK-1", quantity: 1, supplyPriceFen: 10, supplyTotalFen: 10 }),
    ]);
    expect(sub.paidAtMs).toEqual(expect.any(Number));
    expect(sub.timeline.map((e) => [e.from, e.to])).toEqual([
      [null, "pending_payment"],
      ["pending_payment", "paid"],
    ]);
    expect(new Set(sub.timeline.map((e) => e.subOrderId))).toEqual(new Set([world.mixed.subOrderIds[0]]));
  });
});

describe("the platform's order list", () => {
  it("shows every shop's orders, and filters by shop, supplier, status and phone", async () => {
    const numbers = async (query: string) =>
      (await getJson<{ orders: Row[] }>(`/api/platform/orders?${query}`, admin)).orders.map((o) => o.number);
    const all = await numbers("limit=100");
    expect(all).toEqual(expect.arrayContaining([world.mixed.number, world.shopBOrder.number]));
    expect(await numbers(`merchantId=${world.shopB.merchantId}`)).toEqual([world.shopBOrder.number]);
    expect(await numbers(`supplierId=${world.supplierB.supplierId}`)).toEqual([
      world.mixed.number,
      world.lateNight.number,
    ]);
    expect(await numbers(`merchantId=${world.shopA.merchantId}&status=cancelled`)).toEqual([world.cancelled.number]);
    expect(await numbers("q=13733334444")).toEqual([world.shopBOrder.number]);
    const row = (
      await getJson<{ orders: (Row & { merchantName: string })[] }>(
        `/api/platform/orders?merchantId=${world.shopB.merchantId}`,
        admin,
      )
    ).orders[0];
    expect(row).toMatchObject({
      merchantId: world.shopB.merchantId,
      merchantName: expect.stringContaining(world.shopB.slug),
    });
  });

  it("the platform's order detail has everything, supply prices included", async () => {
    const order = await getJson<{
      merchantId: string;
      shopperId: string;
      totalFen: number;
      subOrders: { supplyFen: number; lines: { unitPriceFen: number; supplyPriceFen: number }[] }[];
    }>(`/api/platform/orders/${world.mixed.orderId}`, admin);
    expect(order).toMatchObject({ merchantId: world.shopA.merchantId, shopperId: "shp_fixture", totalFen: 11799 });
    expect(order.subOrders.map((s) => s.supplyFen)).toEqual([3610, 3000]);
    expect(order.subOrders[0]?.lines[0]).toMatchObject({ unitPriceFen: 1990, supplyPriceFen: 1200 });
  });
});
