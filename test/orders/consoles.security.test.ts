import { beforeAll, describe, expect, it } from "vitest";
import { call, platformAdmin, type Session, shopperSignIn } from "../helpers";
import { keysIn, numbersIn, type OrderWorld, orderWorld } from "../support/order-fixtures";
import { expectCode } from "../support/problems";
import { addStaff, bearer, createKey } from "../support/tenants";

let world: OrderWorld;
let admin: Session;

beforeAll(async () => {
  [world, admin] = await Promise.all([orderWorld(), platformAdmin()]);
});

function merchantPaths(): string[] {
  return ["/api/merchant/orders", "/api/merchant/orders.csv", `/api/merchant/orders/${world.mixed.orderId}`];
}
function supplierPaths(): string[] {
  return ["/api/supplier/sub-orders", `/api/supplier/sub-orders/${world.mixed.subOrderIds[0]}`];
}
function platformPaths(): string[] {
  return ["/api/platform/orders", `/api/platform/orders/${world.mixed.orderId}`];
}
function allPaths(): string[] {
  return [...merchantPaths(), ...supplierPaths(), ...platformPaths()];
}

describe("who may call the order consoles at all", () => {
  it("without signing in, every route is 401", async () => {
    for (const path of allPaths()) await expectCode(await call(path), 401, "unauthenticated");
  });

  it("a shopper's session from a storefront is 403 on every console route", async () => {
    const shopper = await shopperSignIn(world.shopA.host);
    for (const path of allPaths()) {
      await expectCode(await call(path, { session: shopper, host: world.shopA.host }), 403, "forbidden");
    }
  });

  it("a supplier cannot use the merchant or platform routes; a merchant cannot use the supplier or platform ones", async () => {
    for (const path of [...merchantPaths(), ...platformPaths()]) {
      await expectCode(await call(path, { session: world.supplierA }), 403, "forbidden");
    }
    for (const path of [...supplierPaths(), ...platformPaths()]) {
      await expectCode(await call(path, { session: world.shopA }), 403, "forbidden");
    }
  });

  it("API keys work only for their own kind of organisation, and never on platform routes", async () => {
    const merchantKey = bearer((await createKey(world.shopA, "merchant")).secret);
    const supplierKey = bearer((await createKey(world.supplierA, "supplier")).secret);
    for (const path of [...supplierPaths(), ...platformPaths()]) {
      expect((await call(path, { headers: merchantKey })).status, path).toBe(403);
    }
    for (const path of [...merchantPaths(), ...platformPaths()]) {
      expect((await call(path, { headers: supplierKey })).status, path).toBe(403);
    }
    expect(
      (await call(`/api/supplier/sub-orders/${world.mixed.subOrderIds[0]}`, { headers: supplierKey })).status,
    ).toBe(200);
  });

  it("a platform admin without a shop or supplier membership cannot use their routes", async () => {
    for (const path of [...merchantPaths(), ...supplierPaths()]) {
      await expectCode(await call(path, { session: admin }), 403, "forbidden");
    }
  });
});

describe("a shop sees only its own orders", () => {
  it("shop B's owner gets 404 for shop A's order, exactly like a missing one", async () => {
    const other = await expectCode(
      await call(`/api/merchant/orders/${world.mixed.orderId}`, { session: world.shopB }),
      404,
      "not_found",
    );
    const missing = await expectCode(
      await call("/api/merchant/orders/ord_doesnotexist", { session: world.shopB }),
      404,
      "not_found",
    );
    expect(other.title).toBe(missing.title);
  });

  it("shop B's staff and API key get 404 for shop A's order too", async () => {
    const staff = await addStaff(world.shopB, "merchant");
    const key = bearer((await createKey(world.shopB, "merchant")).secret);
    await expectCode(await call(`/api/merchant/orders/${world.mixed.orderId}`, { session: staff }), 404, "not_found");
    await expectCode(await call(`/api/merchant/orders/${world.mixed.orderId}`, { headers: key }), 404, "not_found");
  });

  it("shop B's list, search and export never show shop A's orders, even searched by number or phone", async () => {
    const list = await call(`/api/merchant/orders?q=${world.mixed.number}`, { session: world.shopB });
    expect((await list.json<{ orders: unknown[] }>()).orders).toEqual([]);
    const byPhone = await call("/api/merchant/orders?q=13800138000", { session: world.shopB });
    expect((await byPhone.json<{ orders: unknown[] }>()).orders).toEqual([]);
    const csv = await (await call("/api/merchant/orders.csv", { session: world.shopB })).text();
    expect(csv).toContain(world.shopBOrder.number);
    expect(csv).not.toContain(world.mixed.number);
  });

  it("a cursor made for shop A's list does not open shop A's rows to shop B", async () => {
    const first = await call("/api/merchant/orders?limit=1", { session: world.shopA });
    const { nextCursor } = await first.json<{ nextCursor: string }>();
    const asB = await call(`/api/merchant/orders?limit=50&cursor=${nextCursor}`, { session: world.shopB });
    const numbers = (await asB.json<{ orders: { number: string }[] }>()).orders.map((o) => o.number);
    expect(numbers.every((n) => n === world.shopBOrder.number)).toBe(true);
  });
});

describe("a supplier sees only its own paid packages, and never the shop's prices", () => {
  it("supplier B gets 404 for supplier A's package of the same order", async () => {
    await expectCode(
      await call(`/api/supplier/sub-orders/${world.mixed.subOrderIds[0]}`, { session: world.supplierB }),
      404,
      "not_found",
    );
    const own = await call(`/api/supplier/sub-orders/${world.mixed.subOrderIds[1]}`, { session: world.supplierB });
    expect(own.status).toBe(200);
  });

  it("unpaid and cancelled packages are 404 to their own supplier and missing from its list", async () => {
    for (const id of [world.unpaid.subOrderIds[0], world.cancelled.subOrderIds[0]]) {
      await expectCode(await call(`/api/supplier/sub-orders/${id}`, { session: world.supplierA }), 404, "not_found");
    }
    const list = await call("/api/supplier/sub-orders?limit=100", { session: world.supplierA });
    const ids = (await list.json<{ subOrders: { id: string }[] }>()).subOrders.map((s) => s.id);
    expect(ids).not.toContain(world.unpaid.subOrderIds[0]);
    expect(ids).not.toContain(world.cancelled.subOrderIds[0]);
  });

  it("the package detail holds no selling price, shopper total or other supplier's line", async () => {
    const res = await call(`/api/supplier/sub-orders/${world.mixed.subOrderIds[0]}`, { session: world.supplierA });
    const text = await res.text();
    const body: unknown = JSON.parse(text);
    const resale = [1990, 29, 3 * 1990, 3 * 1990 + 29, 3 * 1990 + 29 + 800, world.mixed.totalFen, 5000];
    expect(numbersIn(body).filter((n) => resale.includes(n))).toEqual([]);
    const keys = keysIn(body);
    for (const key of ["unitPriceFen", "lineTotalFen", "totalFen", "goodsFen", "refundedFen", "discountFen"]) {
      expect(keys).not.toContain(key);
    }
    expect(text).not.toContain("遮阳帽");
    expect(text).not.toContain(world.mixed.subOrderIds[1]);
  });

  it("the package list holds no selling price or shopper total either, and no other supplier's package", async () => {
    const res = await call("/api/supplier/sub-orders?limit=100", { session: world.supplierA });
    const body: unknown = await res.json();
    expect(numbersIn(body).filter((n) => [1990, 5999, 6799, world.mixed.totalFen].includes(n))).toEqual([]);
    expect(keysIn(body)).not.toContain("totalFen");
    expect(JSON.stringify(body)).not.toContain(world.mixed.subOrderIds[1]);
    expect(JSON.stringify(body)).not.toContain(world.lateNight.number);
  });

  it("supplier A's status filter cannot reach unpaid packages: pending_payment is not a status it may ask for", async () => {
    await expectCode(
      await call("/api/supplier/sub-orders?status=pending_payment", { session: world.supplierA }),
      400,
      "validation_failed",
    );
  });
});

describe("staff roles", () => {
  it("a shop's staff member may read orders and export them (running orders is everyday staff work)", async () => {
    const staff = await addStaff(world.shopA, "merchant");
    for (const path of merchantPaths()) expect((await call(path, { session: staff })).status, path).toBe(200);
  });

  it("a supplier's staff member may read its packages, but not another supplier's", async () => {
    const staff = await addStaff(world.supplierA, "supplier");
    expect((await call(supplierPaths()[1] ?? "", { session: staff })).status).toBe(200);
    await expectCode(
      await call(`/api/supplier/sub-orders/${world.mixed.subOrderIds[1]}`, { session: staff }),
      404,
      "not_found",
    );
  });
});
