import { beforeAll, describe, expect, it } from "vitest";
import { call, platformAdmin, type Session } from "../helpers";
import { expectCode } from "../support/problems";
import { applyAsSupplier, bearer, createKey, openShop } from "../support/tenants";

let admin: Session;

beforeAll(async () => {
  admin = await platformAdmin();
});

async function currentDefault(): Promise<number> {
  const res = await call("/api/platform/settings", { session: admin });
  return (await res.json<{ defaultMinMarginBps: number }>()).defaultMinMarginBps;
}

describe("only platform administrators reach platform settings", () => {
  it("without signing in: 401", async () => {
    await expectCode(await call("/api/platform/settings"), 401, "unauthenticated");
    await expectCode(
      await call("/api/platform/settings", { method: "PUT", body: { defaultMinMarginBps: 0 } }),
      401,
      "unauthenticated",
    );
  });

  it("a merchant owner, a supplier and a merchant API key are 403, and the default stays", async () => {
    const [shop, supplier] = await Promise.all([openShop(), applyAsSupplier()]);
    const key = await createKey(shop, "merchant");
    for (const options of [{ session: shop }, { session: supplier }, { headers: bearer(key.secret) }]) {
      await expectCode(await call("/api/platform/settings", options), 403, "forbidden");
      await expectCode(
        await call("/api/platform/settings", { ...options, method: "PUT", body: { defaultMinMarginBps: 0 } }),
        403,
        "forbidden",
      );
    }
    expect(await currentDefault()).toBe(1000);
  });

  it("an admin's save without the CSRF token is 403 csrf_failed", async () => {
    await expectCode(
      await call("/api/platform/settings", {
        method: "PUT",
        session: admin,
        noCsrf: true,
        body: { defaultMinMarginBps: 0 },
      }),
      403,
      "csrf_failed",
    );
    expect(await currentDefault()).toBe(1000);
  });
});
