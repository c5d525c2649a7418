import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, unique } from "../helpers";
import { expectCode } from "../support/problems";
import { codesOf, smsCode, verify, welfareShop } from "./welfare";

let shop: MerchantTenant;
let code: string;

beforeAll(async () => {
  code = unique("W").toUpperCase();
  shop = await welfareShop([code]);
});

describe("first sign-in on a welfare shop without a usable employee code", () => {
  it("no code: 403 employee_code_required, no session cookie", async () => {
    const res = await verify(shop.host, await smsCode(shop.host));
    await expectCode(res, 403, "employee_code_required");
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("a code the shop never issued: 403 employee_code_invalid", async () => {
    await expectCode(await verify(shop.host, await smsCode(shop.host), "NOPE-0000"), 403, "employee_code_invalid");
  });

  it("a code another employee already claimed: 403 employee_code_invalid", async () => {
    const taken = unique("T").toUpperCase();
    const other = await welfareShop([taken]);
    expect((await verify(other.host, await smsCode(other.host), taken)).status).toBe(200);
    await expectCode(await verify(other.host, await smsCode(other.host), taken), 403, "employee_code_invalid");
  });

  it("a malformed employee code is 400 validation_failed", async () => {
    await expectCode(await verify(shop.host, await smsCode(shop.host), "a b"), 400, "validation_failed");
  });

  it("a wrong SMS code with a valid employee code is 401 code_invalid, and the employee code stays unclaimed", async () => {
    const attempt = await smsCode(shop.host);
    const wrong = { ...attempt, smsCode: String((Number(attempt.smsCode) + 1) % 1_000_000).padStart(6, "0") };
    await expectCode(await verify(shop.host, wrong, code), 401, "code_invalid");
    expect((await codesOf(shop, "?claimed=true")).map((c) => c.code)).not.toContain(code);
  });
});

describe("adding and listing codes", () => {
  function add(body: unknown): Promise<Response> {
    return call("/api/merchant/welfare-codes", { session: shop, body });
  }

  it.each([
    ["an empty list", { codes: [] }],
    ["1001 codes", { codes: Array.from({ length: 1001 }, (_, i) => ({ code: `BULK-${i}` })) }],
    ["a code that is too short", { codes: [{ code: "AB" }] }],
    ["a code with spaces", { codes: [{ code: "AB CD" }] }],
    ["a label over 60 characters", { codes: [{ code: "GOOD-1", label: "长".repeat(61) }] }],
    ["an unknown field", { codes: [{ code: "GOOD-2", team: "x" }] }],
    ["no list at all", {}],
  ])("%s is 400", async (_name, body) => {
    await expectCode(await add(body), 400, "validation_failed");
  });

  it.each(["claimed=maybe", "limit=0", "limit=1001", "cursor=%%%"])("GET ?%s is 400", async (query) => {
    await expectCode(await call(`/api/merchant/welfare-codes?${query}`, { session: shop }), 400, "validation_failed");
  });
});
