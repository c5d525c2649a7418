import { beforeAll, describe, expect, it } from "vitest";
import {
  applySupplier,
  approvedSupplier,
  call,
  type MerchantTenant,
  platformAdmin,
  type Session,
  type SupplierTenant,
} from "../helpers";
import { expectCode } from "../support/problems";
import { addStaff, bearer, createKey, openShop } from "../support/tenants";

let admin: Session;
let supplierA: SupplierTenant;
let supplierB: SupplierTenant;
let merchant: MerchantTenant;

const BODY = { mode: "flat", baseFen: 500 };
const PATH = "/api/supplier/shipping-template";

async function templateOf(session: Session): Promise<unknown> {
  return (await (await call(PATH, { session })).json<{ template: unknown }>()).template;
}

beforeAll(async () => {
  admin = await platformAdmin();
  [supplierA, supplierB, merchant] = await Promise.all([approvedSupplier(admin), approvedSupplier(admin), openShop()]);
});

describe("who may read and save a shipping template", () => {
  it("without signing in: 401", async () => {
    await expectCode(await call(PATH), 401, "unauthenticated");
    await expectCode(await call(PATH, { method: "PUT", body: BODY }), 401, "unauthenticated");
  });

  it("a merchant, a merchant's API key and a platform admin are 403", async () => {
    const key = await createKey(merchant, "merchant");
    for (const options of [{ session: merchant }, { session: admin }, { headers: bearer(key.secret) }]) {
      await expectCode(await call(PATH, options), 403, "forbidden");
      await expectCode(await call(PATH, { ...options, method: "PUT", body: BODY }), 403, "forbidden");
    }
  });

  it("a supplier not yet approved can read but not save: 403 supplier_not_approved", async () => {
    const pending = await applySupplier();
    expect((await call(PATH, { session: pending })).status).toBe(200);
    const problem = await expectCode(
      await call(PATH, { method: "PUT", session: pending, body: BODY }),
      403,
      "supplier_not_approved",
    );
    expect(problem.supplierStatus).toBe("pending");
    expect(await templateOf(pending)).toBeNull();
  });

  it("a suspended supplier cannot change its fees", async () => {
    const suspended = await approvedSupplier(admin);
    const res = await call(`/api/platform/suppliers/${suspended.supplierId}/suspend`, {
      method: "POST",
      session: admin,
      body: { reason: "资质过期" },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    await expectCode(await call(PATH, { method: "PUT", session: suspended, body: BODY }), 403, "supplier_not_approved");
  });

  it("staff of an approved supplier may save it", async () => {
    const staff = await addStaff(supplierA, "supplier");
    const res = await call(PATH, { method: "PUT", session: staff, body: BODY });
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it("a save without the CSRF token is 403 csrf_failed", async () => {
    await expectCode(
      await call(PATH, { method: "PUT", session: supplierB, noCsrf: true, body: BODY }),
      403,
      "csrf_failed",
    );
    expect(await templateOf(supplierB)).toBeNull();
  });
});

describe("suppliers stay apart", () => {
  it("supplier A saving its template leaves supplier B without one", async () => {
    await call(PATH, { method: "PUT", session: supplierA, body: { mode: "flat", baseFen: 777 } });
    expect(await templateOf(supplierB)).toBeNull();
    expect(await templateOf(supplierA)).toMatchObject({ baseFen: 777 });
  });

  it("supplier B's API key reads and writes only supplier B's template", async () => {
    const key = await createKey(supplierB, "supplier");
    await call(PATH, { method: "PUT", headers: bearer(key.secret), body: { mode: "flat", baseFen: 123 } });
    expect(await templateOf(supplierA)).toMatchObject({ baseFen: 777 });
    expect(await templateOf(supplierB)).toMatchObject({ baseFen: 123 });
  });
});
