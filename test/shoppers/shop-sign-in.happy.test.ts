import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, lastMessageTo, sessionFrom, uniquePhone } from "../helpers";
import {
  codeSentTo,
  freshIp,
  letMinutePass,
  openShop,
  sendCode,
  setCookie,
  signInShopper,
  verifyCode,
} from "../support/identity";

interface ShopperView {
  shopper: { id: string; phone: string };
  shop: { id: string; slug: string; name: string };
  memberSinceMs: number;
  csrfToken: string;
  expiresAtMs: number;
}

/** `13712345678` written the way people type it: `+86 137 1234 5678`. */
const spaced = (phone: string) => `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`;

describe("POST /api/shop/auth/code — send a sign-in code", () => {
  it("answers 202 with the masked phone; the code goes by SMS and never into the response", async () => {
    const shop = await openShop();
    const phone = uniquePhone();
    const res = await sendCode(freshIp(), shop.host, phone);
    expect(res.status).toBe(202);
    const text = await res.text();
    const code = await codeSentTo(phone);
    expect(text).not.toContain(code);
    expect(JSON.parse(text)).toEqual({ sentTo: `${phone.slice(0, 3)}****${phone.slice(-4)}`, expiresInSeconds: 300 });
    const sms = await env.DB.prepare("SELECT channel, subject FROM dev_outbox WHERE recipient = ?")
      .bind(phone)
      .first<{ channel: string; subject: string }>();
    expect(sms).toEqual({ channel: "sms", subject: `店铺 ${shop.slug} 登录验证码` });
  });

  it("a phone typed as +86 138 0013 8000 is understood as its 11 digits", async () => {
    const shop = await openShop();
    const phone = uniquePhone();
    const res = await sendCode(freshIp(), shop.host, spaced(phone));
    expect(res.status, await res.clone().text()).toBe(202);
    expect(await lastMessageTo(phone)).toMatch(/验证码 \d{6}/);
    const verified = await verifyCode(
      freshIp(),
      shop.host,
      `${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`,
      await codeSentTo(phone),
    );
    expect(verified.status, await verified.clone().text()).toBe(200);
    expect((await verified.json<ShopperView>()).shopper.phone).toBe(phone);
  });
});

describe("POST /api/shop/auth/verify — exchange the code for a session", () => {
  it("signs the shopper in on this shop with HttpOnly cookies", async () => {
    const shop = await openShop();
    const phone = uniquePhone();
    const ip = freshIp();
    expect((await sendCode(ip, shop.host, phone)).status).toBe(202);
    const before = Date.now();
    const res = await verifyCode(ip, shop.host, phone, await codeSentTo(phone));
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await res.json<ShopperView>();
    expect(body.shopper).toEqual({ id: expect.stringMatching(/^shp_/), phone });
    expect(body.shop).toEqual({ id: shop.merchantId, slug: shop.slug, name: `店铺 ${shop.slug}` });
    expect(body.memberSinceMs).toBeGreaterThanOrEqual(before);
    const cookie = setCookie(res, "ec_session");
    expect(cookie.attributes.has("httponly")).toBe(true);
    expect(cookie.attributes.get("samesite")).toBe("Lax");
    expect(setCookie(res, "ec_csrf").value).toBe(body.csrfToken);
  });

  it("GET /api/shop/me then shows the shopper and when they joined this shop", async () => {
    const shop = await openShop();
    const phone = uniquePhone();
    const ip = freshIp();
    await sendCode(ip, shop.host, phone);
    const verified = await verifyCode(ip, shop.host, phone, await codeSentTo(phone));
    const signedIn = await verified.clone().json<ShopperView>();
    const res = await call("/api/shop/me", { host: shop.host, session: sessionFrom(verified) });
    expect(res.status).toBe(200);
    const me = await res.json<ShopperView>();
    expect(me.shopper).toEqual({ id: signedIn.shopper.id, phone });
    expect(me.shop.id).toBe(shop.merchantId);
    expect(me.memberSinceMs).toBe(signedIn.memberSinceMs);
  });

  it("signing in again on the same shop keeps the shopper and the date they joined", async () => {
    const shop = await openShop();
    const phone = uniquePhone();
    const first = await signInShopper(freshIp(), shop.host, phone);
    const firstMe = await (await call("/api/shop/me", { host: shop.host, session: first })).json<ShopperView>();
    await letMinutePass(phone);
    const second = await signInShopper(freshIp(), shop.host, phone);
    expect(second.shopperId).toBe(first.shopperId);
    const secondMe = await (await call("/api/shop/me", { host: shop.host, session: second })).json<ShopperView>();
    expect(secondMe.memberSinceMs).toBe(firstMe.memberSinceMs);
  });

  it("shoppers are platform-wide: one phone on shops A and B is one shopper with two memberships", async () => {
    const a = await openShop();
    const b = await openShop();
    const phone = uniquePhone();
    const onA = await signInShopper(freshIp(), a.host, phone);
    await letMinutePass(phone);
    const onB = await signInShopper(freshIp(), b.host, phone);
    expect(onB.shopperId).toBe(onA.shopperId);
    const { results } = await env.DB.prepare(
      "SELECT merchant_id FROM shopper_memberships WHERE shopper_id = ? ORDER BY joined_at_ms, merchant_id",
    )
      .bind(onA.shopperId)
      .all<{ merchant_id: string }>();
    expect(results.map((r) => r.merchant_id).sort()).toEqual([a.merchantId, b.merchantId].sort());
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM shoppers WHERE phone = ?").bind(phone).first("n")).toBe(1);
  });
});

describe("shopper sign-out", () => {
  it("ends the shopper's session on this shop", async () => {
    const shop = await openShop();
    const shopper = await signInShopper(freshIp(), shop.host, uniquePhone());
    const res = await call("/api/auth/sign-out", { method: "POST", host: shop.host, session: shopper });
    expect(res.status).toBe(200);
    const me = await call("/api/shop/me", { host: shop.host, session: shopper });
    expect(me.status).toBe(401);
    expect((await me.json<{ code: string }>()).code).toBe("session_expired");
  });
});
