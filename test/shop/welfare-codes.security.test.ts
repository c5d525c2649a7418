import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, unique } from "../helpers";
import { letMinutePass } from "../support/identity";
import { expectCode } from "../support/problems";
import { addStaff, applyAsSupplier, bearer, createKey, type StaffMember } from "../support/tenants";
import { codesOf, smsCode, verify, welfareShop } from "./welfare";

let shopA: MerchantTenant;
let shopB: MerchantTenant;
let codeA: string;
let codeB: string;
let staffA: StaffMember;

beforeAll(async () => {
  codeA = unique("A").toUpperCase();
  codeB = unique("B").toUpperCase();
  [shopA, shopB] = await Promise.all([welfareShop([codeA]), welfareShop([codeB])]);
  staffA = await addStaff(shopA, "merchant");
});

const BODY = { codes: [{ code: "SNEAKY-1" }] };

describe("who may manage employee codes", () => {
  it("without signing in: 401", async () => {
    await expectCode(await call("/api/merchant/welfare-codes"), 401, "unauthenticated");
    await expectCode(await call("/api/merchant/welfare-codes", { body: BODY }), 401, "unauthenticated");
  });

  it("staff, the shop's API key and a supplier are 403: only the owner sees employee codes", async () => {
    const key = await createKey(shopA, "merchant");
    const supplier = await applyAsSupplier();
    for (const options of [{ session: staffA }, { headers: bearer(key.secret) }, { session: supplier }]) {
      await expectCode(await call("/api/merchant/welfare-codes", options), 403, "forbidden");
      await expectCode(await call("/api/merchant/welfare-codes", { ...options, body: BODY }), 403, "forbidden");
    }
    expect((await codesOf(shopA)).map((c) => c.code)).toEqual([codeA]);
  });
});

describe("codes belong to one shop", () => {
  it("each owner lists only their own shop's codes", async () => {
    expect((await codesOf(shopA)).map((c) => c.code)).toEqual([codeA]);
    expect((await codesOf(shopB)).map((c) => c.code)).toEqual([codeB]);
  });

  it("shop B's code does not admit anyone to shop A, and stays unclaimed", async () => {
    await expectCode(await verify(shopA.host, await smsCode(shopA.host), codeB), 403, "employee_code_invalid");
    expect((await codesOf(shopB, "?claimed=true")).map((c) => c.code)).toEqual([]);
  });

  it("a member of welfare shop B still needs a code of shop A to join shop A", async () => {
    const joinedB = await smsCode(shopB.host);
    expect((await verify(shopB.host, joinedB, codeB)).status).toBe(200);
    await letMinutePass(joinedB.phone);
    const res = await verify(shopA.host, await smsCode(shopA.host, joinedB.phone, joinedB.ip));
    await expectCode(res, 403, "employee_code_required");
  });
});
