import { describe, expect, it } from "vitest";
import { call, unique } from "../helpers";
import { letMinutePass } from "../support/identity";
import { addCodes, codesOf, smsCode, verify, welfareShop } from "./welfare";

function codes(n: number): string[] {
  const base = unique("E").toUpperCase();
  return Array.from({ length: n }, (_, i) => `${base}-${String(i).padStart(3, "0")}`);
}

describe("employee codes", () => {
  it("an owner adds codes; repeats in the request and codes already stored are skipped", async () => {
    const [a, b, c] = codes(3);
    const shop = await welfareShop([]);
    expect(await addCodes(shop, [a ?? "", b ?? "", a ?? ""])).toEqual({ created: 2, skipped: 1 });
    expect(await addCodes(shop, [b ?? "", c ?? ""])).toEqual({ created: 1, skipped: 1 });
    expect(await codesOf(shop)).toEqual(
      [a, b, c].map((code) => ({
        code,
        label: `员工 ${code}`,
        claimed: false,
        claimedByShopperId: null,
        claimedAtMs: null,
      })),
    );
  });

  it("a thousand codes go in one request", async () => {
    const shop = await welfareShop([]);
    expect(await addCodes(shop, codes(1000))).toEqual({ created: 1000, skipped: 0 });
  });

  it("the list pages by code with nextCursor", async () => {
    const all = codes(5);
    const shop = await welfareShop(all);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(`/api/merchant/welfare-codes?limit=2${cursor ? `&cursor=${cursor}` : ""}`, {
        session: shop,
      });
      const page = await res.json<{ items: { code: string }[]; nextCursor: string | null }>();
      seen.push(...page.items.map((item) => item.code));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 10);
    expect(seen).toEqual(all);
  });
});

describe("signing in on a company-welfare shop", () => {
  it("a new shopper gets in with an unclaimed employee code, which is then claimed by them", async () => {
    const [code, other] = codes(2);
    const shop = await welfareShop([code ?? "", other ?? ""]);
    const attempt = await smsCode(shop.host);
    const res = await verify(shop.host, attempt, code);
    expect(res.status, await res.clone().text()).toBe(200);
    const { shopper } = await res.json<{ shopper: { id: string } }>();
    expect(await codesOf(shop, "?claimed=true")).toEqual([
      { code, label: `员工 ${code}`, claimed: true, claimedByShopperId: shopper.id, claimedAtMs: expect.any(Number) },
    ]);
    expect((await codesOf(shop, "?claimed=false")).map((c) => c.code)).toEqual([other]);
  });

  it("the employee code is matched whatever its letter case", async () => {
    const [code] = codes(1);
    const shop = await welfareShop([code ?? ""]);
    const res = await verify(shop.host, await smsCode(shop.host), code?.toLowerCase());
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it("once a member, the shopper signs in again without the code", async () => {
    const [code] = codes(1);
    const shop = await welfareShop([code ?? ""]);
    const first = await smsCode(shop.host);
    expect((await verify(shop.host, first, code)).status).toBe(200);
    await letMinutePass(first.phone);
    const again = await smsCode(shop.host, first.phone, first.ip);
    const res = await verify(shop.host, again);
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it("a shopper told the employee code is needed can retry with the same SMS code", async () => {
    const [code] = codes(1);
    const shop = await welfareShop([code ?? ""]);
    const attempt = await smsCode(shop.host);
    expect((await verify(shop.host, attempt)).status).toBe(403);
    const res = await verify(shop.host, attempt, code);
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it("a shop that is not a welfare shop asks for no employee code", async () => {
    const shop = await welfareShop([]);
    const saved = await call("/api/merchant/shop-settings", {
      method: "PUT",
      session: shop,
      body: { template: "general", homeSections: [] },
    });
    expect(saved.status).toBe(200);
    expect((await verify(shop.host, await smsCode(shop.host))).status).toBe(200);
  });

  it("shoppers who joined before the shop turned into a welfare shop keep signing in without a code", async () => {
    const shop = await welfareShop([]);
    await call("/api/merchant/shop-settings", {
      method: "PUT",
      session: shop,
      body: { template: "general", homeSections: [] },
    });
    const early = await smsCode(shop.host);
    expect((await verify(shop.host, early)).status).toBe(200);
    await call("/api/merchant/shop-settings", {
      method: "PUT",
      session: shop,
      body: { template: "welfare", homeSections: [] },
    });
    await letMinutePass(early.phone);
    const res = await verify(shop.host, await smsCode(shop.host, early.phone, early.ip));
    expect(res.status, await res.clone().text()).toBe(200);
  });
});
