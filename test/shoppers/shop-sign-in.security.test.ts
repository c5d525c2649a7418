import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, uniquePhone } from "../helpers";
import {
  codeSentTo,
  countRows,
  freshIp,
  letMinutePass,
  openShop,
  sendCode,
  signInShopper,
  verifyCode,
  wrongCode,
} from "../support/identity";
import { problemOf } from "../support/identity-problems";

describe("a shopper session belongs to one shop", () => {
  it("a shopper session from shop A presented on shop B's host is 401 and shows nothing of B", async () => {
    const a = await openShop();
    const b = await openShop();
    const phone = uniquePhone();
    const shopper = await signInShopper(freshIp(), a.host, phone);
    const res = await call("/api/shop/me", { host: b.host, session: shopper });
    const text = await res.clone().text();
    await problemOf(res, 401, "unauthenticated");
    expect(text).not.toContain(b.merchantId);
    expect(text).not.toContain(phone);
    expect(text).not.toContain(shopper.shopperId);
  });

  it("even a shopper who is also a member of shop B must use B's own session there", async () => {
    const a = await openShop();
    const b = await openShop();
    const phone = uniquePhone();
    const onA = await signInShopper(freshIp(), a.host, phone);
    await letMinutePass(phone);
    const onB = await signInShopper(freshIp(), b.host, phone);
    await problemOf(await call("/api/shop/me", { host: b.host, session: onA }), 401, "unauthenticated");
    await problemOf(await call("/api/shop/me", { host: a.host, session: onB }), 401, "unauthenticated");
    expect((await call("/api/shop/me", { host: b.host, session: onB })).status).toBe(200);
  });

  it("a code sent by shop A does not sign in on shop B, and still works on A", async () => {
    const a = await openShop();
    const b = await openShop();
    const phone = uniquePhone();
    expect((await sendCode(freshIp(), a.host, phone)).status).toBe(202);
    const code = await codeSentTo(phone);
    await problemOf(await verifyCode(freshIp(), b.host, phone, code), 401, "code_invalid");
    expect(await countRows("SELECT COUNT(*) AS n FROM shopper_memberships WHERE merchant_id = ?", b.merchantId)).toBe(
      0,
    );
    expect((await verifyCode(freshIp(), a.host, phone, code)).status).toBe(200);
  });
});

describe("who may call /api/shop/me", () => {
  it("without a session: 401 unauthenticated", async () => {
    const shop = await openShop();
    await problemOf(await call("/api/shop/me", { host: shop.host }), 401, "unauthenticated");
  });

  it("with the shop owner's staff session: 403 forbidden, a staff account is not a shopper", async () => {
    const shop = await openShop();
    await problemOf(await call("/api/shop/me", { host: shop.host, session: shop }), 403, "forbidden");
  });

  it("with an expired shopper session: 401 session_expired", async () => {
    const shop = await openShop();
    const shopper = await signInShopper(freshIp(), shop.host, uniquePhone());
    await env.DB.prepare("UPDATE sessions SET expires_at_ms = ? WHERE subject_id = ?")
      .bind(Date.now() - 1000, shopper.shopperId)
      .run();
    await problemOf(await call("/api/shop/me", { host: shop.host, session: shopper }), 401, "session_expired");
  });
});

describe("codes are secrets", () => {
  it("neither the send nor a failed verify ever shows the code", async () => {
    const shop = await openShop();
    const phone = uniquePhone();
    const sent = await sendCode(freshIp(), shop.host, phone);
    const sentText = await sent.text();
    const code = await codeSentTo(phone);
    expect(sentText).not.toContain(code);
    const failed = await verifyCode(freshIp(), shop.host, phone, wrongCode(code));
    expect(failed.status).toBe(401);
    expect(await failed.text()).not.toContain(code);
  });

  it("the database keeps only a salted hash of the code", async () => {
    const shop = await openShop();
    const phone = uniquePhone();
    await sendCode(freshIp(), shop.host, phone);
    const code = await codeSentTo(phone);
    const row = await env.DB.prepare("SELECT * FROM otp_codes WHERE phone = ?")
      .bind(phone)
      .first<Record<string, unknown>>();
    expect(row?.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(`"${code}"`);
  });

  it("eight wrong guesses sent at once still count as no more than five tries on the code", async () => {
    const shop = await openShop();
    // Three rounds: one round may happen to run the guesses one after another.
    for (let round = 0; round < 3; round++) {
      const phone = uniquePhone();
      expect((await sendCode(freshIp(), shop.host, phone)).status).toBe(202);
      const code = await codeSentTo(phone);
      const guesses = Array.from({ length: 8 }, (_, i) => String((Number(code) + i + 1) % 1_000_000).padStart(6, "0"));
      const responses = await Promise.all(guesses.map((guess) => verifyCode(freshIp(), shop.host, phone, guess)));
      expect(responses.map((r) => r.status)).toEqual(guesses.map(() => 401));
      const row = await env.DB.prepare("SELECT attempts FROM otp_codes WHERE phone = ?")
        .bind(phone)
        .first<{ attempts: number }>();
      expect(row?.attempts, `round ${round + 1}: guesses compared against the code`).toBeLessThanOrEqual(5);
    }
  });
});
