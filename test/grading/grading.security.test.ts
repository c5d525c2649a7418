import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { approvedSupplier, call, platformAdmin, type Session, type SupplierTenant } from "../helpers";
import { expectCode } from "../support/problems";
import { bearer, createKey, openShop } from "../support/tenants";

let admin: Session;
let supplier: SupplierTenant;

beforeAll(async () => {
  admin = await platformAdmin();
  supplier = await approvedSupplier(admin);
});

async function gradeRows(): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM supplier_grades").first<{ n: number }>();
  return row?.n ?? 0;
}

describe("supplier grades are for platform admins only", () => {
  it.each([
    ["GET", "/api/platform/suppliers/grades"],
    ["POST", "/api/platform/grades/recompute"],
  ])("%s %s signed out is 401", async (method, path) => {
    await expectCode(await call(path, { method }), 401, "unauthenticated");
  });

  it("a supplier cannot read the grade list, not even its own line: 403", async () => {
    await expectCode(await call("/api/platform/suppliers/grades", { session: supplier }), 403, "forbidden");
  });

  it("a supplier's or merchant's API key cannot either: 403", async () => {
    const shop = await openShop();
    for (const key of [await createKey(supplier, "supplier"), await createKey(shop, "merchant")]) {
      await expectCode(await call("/api/platform/suppliers/grades", { headers: bearer(key.secret) }), 403, "forbidden");
    }
  });

  it("a supplier or merchant cannot trigger a recompute, and no grade is written", async () => {
    const shop = await openShop();
    for (const session of [supplier, shop]) {
      await expectCode(await call("/api/platform/grades/recompute", { method: "POST", session }), 403, "forbidden");
    }
    expect(await gradeRows()).toBe(0);
  });

  it("an admin's recompute without the CSRF header is 403 csrf_failed", async () => {
    const res = await call("/api/platform/grades/recompute", { method: "POST", session: admin, noCsrf: true });
    await expectCode(res, 403, "csrf_failed");
    expect(await gradeRows()).toBe(0);
  });
});
