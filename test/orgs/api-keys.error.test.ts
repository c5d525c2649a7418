import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant } from "../helpers";
import { expectCode } from "../support/problems";
import { bearer, createKey, openShop } from "../support/tenants";

let shop: MerchantTenant;

beforeAll(async () => {
  shop = await openShop();
});

describe("rejected API keys", () => {
  it("a revoked key gets 401 api_key_invalid", async () => {
    const key = await createKey(shop, "merchant");
    expect((await call("/api/merchant/profile", { headers: bearer(key.secret) })).status).toBe(200);
    expect((await call(`/api/merchant/api-keys/${key.id}`, { method: "DELETE", session: shop })).status).toBe(200);
    await expectCode(await call("/api/merchant/profile", { headers: bearer(key.secret) }), 401, "api_key_invalid");
  });

  it.each([
    ["a garbage token", "Bearer not-a-key"],
    ["a well-formed key nobody issued", `Bearer sk_mer_${"A".repeat(40)}`],
    ["a key with one character changed", null],
    ["another scheme", "Basic dXNlcjpwYXNz"],
    ["an empty bearer", "Bearer "],
  ])("%s gets 401 api_key_invalid", async (_what, header) => {
    let authorization = header;
    if (authorization === null) {
      const key = await createKey(shop, "merchant");
      const last = key.secret.at(-1) === "a" ? "b" : "a";
      authorization = `Bearer ${key.secret.slice(0, -1)}${last}`;
    }
    await expectCode(await call("/api/merchant/profile", { headers: { authorization } }), 401, "api_key_invalid");
  });

  it("a bad Authorization header is refused even when a valid session cookie comes with it", async () => {
    const res = await call("/api/merchant/profile", { session: shop, headers: { authorization: "Bearer nope" } });
    await expectCode(res, 401, "api_key_invalid");
  });
});

describe("creating and revoking", () => {
  it.each([
    ["a blank name", { name: "   " }],
    ["a name over 60 characters", { name: "n".repeat(61) }],
    ["an unknown field", { name: "ok", scopes: ["all"] }],
    ["no name", {}],
  ])("%s is refused with 400 validation_failed and no key is made", async (_what, body) => {
    const before = (await (await call("/api/merchant/api-keys", { session: shop })).json<{ items: unknown[] }>()).items;
    const res = await call("/api/merchant/api-keys", { session: shop, body });
    const problem = await expectCode(res, 400, "validation_failed");
    expect(problem.issues?.length).toBeGreaterThan(0);
    const after = (await (await call("/api/merchant/api-keys", { session: shop })).json<{ items: unknown[] }>()).items;
    expect(after.length).toBe(before.length);
  });

  it("revoking with a malformed id is 400 validation_failed naming the id parameter", async () => {
    const problem = await expectCode(
      await call("/api/merchant/api-keys/not-an-id", { method: "DELETE", session: shop }),
      400,
      "validation_failed",
    );
    expect(problem.issues?.map((i) => i.path)).toContain("id");
  });

  it("revoking a key id that does not exist is 404 not_found", async () => {
    const res = await call("/api/merchant/api-keys/key_doesnotexist000", { method: "DELETE", session: shop });
    await expectCode(res, 404, "not_found");
  });

  it("an anonymous caller cannot list keys", async () => {
    await expectCode(await call("/api/merchant/api-keys"), 401, "unauthenticated");
  });
});
