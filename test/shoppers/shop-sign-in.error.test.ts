import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, unique, uniquePhone } from "../helpers";
import {
  callFrom,
  codeSentTo,
  countRows,
  freshIp,
  letMinutePass,
  openShop,
  sendCode,
  verifyCode,
  wrongCode,
} from "../support/identity";
import { issuePaths, problemOf } from "../support/identity-problems";

// worker/modules/shoppers/service.ts and worker/lib/rate-limit.ts
const MAX_WRONG_TRIES = 5;
const CODES_PER_PHONE_PER_HOUR = 5;
const VERIFIES_PER_PHONE = 10;

async function codeFor(host: string, phone: string, ip = freshIp()): Promise<string> {
  const res = await sendCode(ip, host, phone);
  expect(res.status, await res.clone().text()).toBe(202);
  return codeSentTo(phone);
}

describe("wrong, used and stale codes", () => {
  it("a wrong code is 401 code_invalid and sets no cookie", async () => {
    const shop = await openShop();
    const phone = uniquePhone();
    const code = await codeFor(shop.host, phone);
    const res = await verifyCode(freshIp(), shop.host, phone, wrongCode(code));
    expect(res.headers.getSetCookie()).toEqual([]);
    await problemOf(res, 401, "code_invalid");
  });

  it(`after ${MAX_WRONG_TRIES} wrong tries even the right code is refused`, async () => {
    const shop = await openShop();
    const phone = uniquePhone();
    const code = await codeFor(shop.host, phone);
    for (let i = 0; i < MAX_WRONG_TRIES; i++) {
      await problemOf(await verifyCode(freshIp(), shop.host, phone, wrongCode(code)), 401, "code_invalid");
    }
    await problemOf(await verifyCode(freshIp(), shop.host, phone, code), 401, "code_invalid");
    expect(await countRows("SELECT COUNT(*) AS n FROM shoppers WHERE phone = ?", phone)).toBe(0);
  });

  it(`${MAX_WRONG_TRIES - 1} wrong tries still leave the right code usable`, async () => {
    const shop = await openShop();
    const phone = uniquePhone();
    const code = await codeFor(shop.host, phone);
    for (let i = 0; i < MAX_WRONG_TRIES - 1; i++) {
      await problemOf(await verifyCode(freshIp(), shop.host, phone, wrongCode(code)), 401, "code_invalid");
    }
    expect((await verifyCode(freshIp(), shop.host, phone, code)).status).toBe(200);
  });

  it("a code signs in once; the same code a second time is 401 code_invalid", async () => {
    const shop = await openShop();
    const phone = uniquePhone();
    const code = await codeFor(shop.host, phone);
    expect((await verifyCode(freshIp(), shop.host, phone, code)).status).toBe(200);
    const again = await verifyCode(freshIp(), shop.host, phone, code);
    expect(again.headers.getSetCookie()).toEqual([]);
    await problemOf(again, 401, "code_invalid");
  });

  it("a code older than 5 minutes is 401 code_invalid", async () => {
    const shop = await openShop();
    const phone = uniquePhone();
    const code = await codeFor(shop.host, phone);
    const expired = await env.DB.prepare("UPDATE otp_codes SET expires_at_ms = ? WHERE phone = ?")
      .bind(Date.now() - 1000, phone)
      .run();
    expect(expired.meta.changes).toBe(1);
    await problemOf(await verifyCode(freshIp(), shop.host, phone, code), 401, "code_invalid");
  });

  it("when a new code is sent, only the newest one works", async () => {
    const shop = await openShop();
    const phone = uniquePhone();
    const first = await codeFor(shop.host, phone);
    await letMinutePass(phone);
    let second = await codeFor(shop.host, phone);
    // Six random digits may repeat; ask again until the codes differ (at most a few tries).
    while (second === first) {
      await letMinutePass(phone);
      second = await codeFor(shop.host, phone);
    }
    await problemOf(await verifyCode(freshIp(), shop.host, phone, first), 401, "code_invalid");
    expect((await verifyCode(freshIp(), shop.host, phone, second)).status).toBe(200);
  });

  it("verifying when no code was ever sent is 401 code_invalid", async () => {
    const shop = await openShop();
    await problemOf(await verifyCode(freshIp(), shop.host, uniquePhone(), "123456"), 401, "code_invalid");
  });
});

describe("phones and bodies that are refused", () => {
  it.each(["12345", "12812345678", "1381234567", "+1 415 555 0100", "abcdefghijk"])(
    "%s is not a mainland mobile number: 400 validation_failed naming phone, and no SMS is sent",
    async (phone) => {
      const shop = await openShop();
      const before = await countRows("SELECT COUNT(*) AS n FROM dev_outbox WHERE channel = 'sms'");
      const problem = await problemOf(await sendCode(freshIp(), shop.host, phone), 400, "validation_failed");
      expect(issuePaths(problem)).toEqual(["phone"]);
      expect(await countRows("SELECT COUNT(*) AS n FROM dev_outbox WHERE channel = 'sms'")).toBe(before);
    },
  );

  it("a code that is not 6 digits is 400 validation_failed naming code", async () => {
    const shop = await openShop();
    const problem = await problemOf(
      await verifyCode(freshIp(), shop.host, uniquePhone(), "12345"),
      400,
      "validation_failed",
    );
    expect(issuePaths(problem)).toEqual(["code"]);
  });

  it("a body with a field the API does not know is 400 validation_failed", async () => {
    const shop = await openShop();
    const res = await callFrom(freshIp(), "/api/shop/auth/code", {
      host: shop.host,
      body: { phone: uniquePhone(), channel: "voice" },
    });
    const problem = await problemOf(res, 400, "validation_failed");
    expect(problem.issues).toEqual([expect.objectContaining({ code: "unrecognized_keys" })]);
  });
});

describe("code request limits", () => {
  it("a second code for the same phone within 60 s is 429 with Retry-After, and no second SMS goes out", async () => {
    const shop = await openShop();
    const phone = uniquePhone();
    await codeFor(shop.host, phone);
    const res = await sendCode(freshIp(), shop.host, phone);
    const retryAfter = Number(res.headers.get("retry-after"));
    await problemOf(res, 429, "rate_limited");
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await countRows("SELECT COUNT(*) AS n FROM dev_outbox WHERE recipient = ?", phone)).toBe(1);
  });

  it("the 60 s limit follows the phone across shops", async () => {
    const a = await openShop();
    const b = await openShop();
    const phone = uniquePhone();
    await codeFor(a.host, phone);
    await problemOf(await sendCode(freshIp(), b.host, phone), 429, "rate_limited");
  });

  it(`at most ${CODES_PER_PHONE_PER_HOUR} codes per phone per hour, even a minute apart`, async () => {
    const shop = await openShop();
    const phone = uniquePhone();
    for (let i = 0; i < CODES_PER_PHONE_PER_HOUR; i++) {
      await codeFor(shop.host, phone);
      await letMinutePass(phone);
    }
    const res = await sendCode(freshIp(), shop.host, phone);
    const retryAfter = Number(res.headers.get("retry-after"));
    await problemOf(res, 429, "rate_limited");
    expect(retryAfter).toBeGreaterThan(60);
    expect(retryAfter).toBeLessThanOrEqual(3600);
  });

  it(`after ${VERIFIES_PER_PHONE} verification attempts for a phone the next is 429, even with the right code`, async () => {
    const shop = await openShop();
    const phone = uniquePhone();
    for (let i = 0; i < VERIFIES_PER_PHONE; i++) {
      await problemOf(await verifyCode(freshIp(), shop.host, phone, "000000"), 401, "code_invalid");
    }
    const code = await codeFor(shop.host, phone);
    await problemOf(await verifyCode(freshIp(), shop.host, phone, code), 429, "rate_limited");
  });
});

describe("shop routes need a shop address", () => {
  it("on the root host the shop routes are 404 shop_not_found", async () => {
    await problemOf(
      await callFrom(freshIp(), "/api/shop/auth/code", { body: { phone: uniquePhone() } }),
      404,
      "shop_not_found",
    );
    await problemOf(
      await callFrom(freshIp(), "/api/shop/auth/verify", { body: { phone: uniquePhone(), code: "123456" } }),
      404,
      "shop_not_found",
    );
    await problemOf(await call("/api/shop/me"), 404, "shop_not_found");
  });

  it("on a host whose slug is no shop every route is 404 shop_not_found", async () => {
    const host = `${unique("ghost")}.localhost`;
    const phone = uniquePhone();
    await problemOf(await sendCode(freshIp(), host, phone), 404, "shop_not_found");
    await problemOf(await call("/api/shop/me", { host }), 404, "shop_not_found");
    await problemOf(await call("/api/health", { host }), 404, "shop_not_found");
    expect(await countRows("SELECT COUNT(*) AS n FROM dev_outbox WHERE recipient = ?", phone)).toBe(0);
  });

  it("a shop's address in capitals is the same shop", async () => {
    const shop = await openShop();
    const res = await sendCode(freshIp(), shop.host.toUpperCase(), uniquePhone());
    expect(res.status, await res.clone().text()).toBe(202);
  });

  it("a suspended shop's storefront sends no codes: 404 shop_not_found", async () => {
    const shop = await openShop();
    await env.DB.prepare("UPDATE merchants SET status = 'suspended' WHERE id = ?").bind(shop.merchantId).run();
    const phone = uniquePhone();
    await problemOf(await sendCode(freshIp(), shop.host, phone), 404, "shop_not_found");
    expect(await countRows("SELECT COUNT(*) AS n FROM dev_outbox WHERE recipient = ?", phone)).toBe(0);
  });
});
