import { beforeAll, describe, expect, it } from "vitest";
import { call, platformAdmin, type Session } from "../helpers";
import { type OrderWorld, orderWorld } from "../support/order-fixtures";
import { expectCode, issuePaths } from "../support/problems";

let world: OrderWorld;
let admin: Session;

beforeAll(async () => {
  [world, admin] = await Promise.all([orderWorld(), platformAdmin()]);
});

async function rejected(path: string, session: Session, issuePath: string): Promise<void> {
  const problem = await expectCode(await call(path, { session }), 400, "validation_failed");
  expect(issuePaths(problem), JSON.stringify(problem)).toContain(issuePath);
}

/** Strict queries report a stray key at the root, naming it in the message. */
async function unknownKey(path: string, session: Session, key: string): Promise<void> {
  const problem = await expectCode(await call(path, { session }), 400, "validation_failed");
  expect(problem.issues, JSON.stringify(problem)).toEqual([
    expect.objectContaining({ code: "unrecognized_keys", message: expect.stringContaining(`"${key}"`) }),
  ]);
}

describe("bad filters are 400 validation_failed, naming the field", () => {
  it.each([
    ["status=shipping", "status"],
    ["status=", "status"],
    ["from=2026-13-01", "from"],
    ["from=2026-02-30", "from"],
    ["to=25/11/2026", "to"],
    ["q=abc", "q"],
    ["q=1%25", "q"],
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=ten", "limit"],
  ])("merchant list ?%s", async (query, path) => {
    await rejected(`/api/merchant/orders?${query}`, world.shopA, path);
  });

  it("an unknown parameter is refused rather than ignored, on the CSV export too", async () => {
    await unknownKey("/api/merchant/orders?sort=oldest", world.shopA, "sort");
    await unknownKey("/api/merchant/orders.csv?state=paid", world.shopA, "state");
    await unknownKey("/api/merchant/orders.csv?cursor=abc", world.shopA, "cursor");
    await unknownKey("/api/supplier/sub-orders?merchantId=mer_x", world.supplierA, "merchantId");
  });

  it("a day range that ends before it starts is refused", async () => {
    await rejected("/api/merchant/orders?from=2026-11-25&to=2026-11-24", world.shopA, "to");
    await rejected("/api/merchant/orders.csv?from=2026-11-25&to=2026-11-24", world.shopA, "to");
    await rejected("/api/supplier/sub-orders?from=2026-11-25&to=2026-11-01", world.supplierA, "to");
  });

  it("a cursor that is not one the list handed out is a 400, never a 500", async () => {
    await rejected("/api/merchant/orders?cursor=not-a-cursor", world.shopA, "cursor");
    await rejected("/api/supplier/sub-orders?cursor=eyJ4IjoxfQ", world.supplierA, "cursor");
  });

  it("a cursor from the supplier's list is refused by the merchant's and the platform's", async () => {
    const page = await call("/api/supplier/sub-orders?limit=1", { session: world.supplierA });
    const { nextCursor } = await page.json<{ nextCursor: string }>();
    expect(nextCursor).toEqual(expect.any(String));
    await rejected(`/api/merchant/orders?cursor=${nextCursor}`, world.shopA, "cursor");
    await rejected(`/api/platform/orders?cursor=${nextCursor}`, admin, "cursor");
  });

  it.each([
    ["status=cancelled", "status"],
    ["status=pending_payment", "status"],
    ["q=abc", "q"],
  ])("supplier list ?%s", async (query, path) => {
    await rejected(`/api/supplier/sub-orders?${query}`, world.supplierA, path);
  });

  it.each([
    ["merchantId=shop-a", "merchantId"],
    ["supplierId=mer_abc", "supplierId"],
    ["status=lost", "status"],
    ["from=yesterday", "from"],
  ])("platform list ?%s", async (query, path) => {
    await rejected(`/api/platform/orders?${query}`, admin, path);
  });
});

describe("ids", () => {
  it("a malformed id is 400, a well-formed unknown one is 404", async () => {
    await rejected("/api/merchant/orders/sub_abc", world.shopA, "id");
    await rejected("/api/supplier/sub-orders/ord_abc", world.supplierA, "id");
    await rejected("/api/platform/orders/123", admin, "id");
    await expectCode(await call("/api/merchant/orders/ord_unknown", { session: world.shopA }), 404, "not_found");
    await expectCode(
      await call("/api/supplier/sub-orders/sub_unknown", { session: world.supplierA }),
      404,
      "not_found",
    );
    await expectCode(await call("/api/platform/orders/ord_unknown", { session: admin }), 404, "not_found");
  });

  it("writing to a console order route is not allowed", async () => {
    const res = await call(`/api/merchant/orders/${world.mixed.orderId}`, { method: "DELETE", session: world.shopA });
    expect([404, 405]).toContain(res.status);
  });
});

describe("empty results are not errors", () => {
  it("a filter that matches nothing gives an empty page and a header-only CSV", async () => {
    const list = await call("/api/merchant/orders?q=99999999999", { session: world.shopA });
    expect(await list.json()).toEqual({ orders: [], nextCursor: null });
    const csv = await call("/api/merchant/orders.csv?from=2030-01-01", { session: world.shopA });
    expect((await csv.text()).trim().split("\r\n")).toHaveLength(1);
  });
});
