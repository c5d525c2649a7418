import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, PASSWORD, unique } from "../helpers";
import {
  applyAsSupplier,
  callFrom,
  countRows,
  freshIp,
  merchantSignUpBody,
  openShop,
  setCookie,
} from "../support/identity";
import { problemOf } from "../support/identity-problems";

// worker/lib/rate-limit.ts RULES.signUpPerIp
const SIGN_UPS_PER_IP_PER_HOUR = 20;

describe("what a sign-up gives away", () => {
  it("the response never contains the password or its stored hash", async () => {
    const slug = unique("leak");
    const res = await callFrom(freshIp(), "/api/onboarding/merchants", { body: merchantSignUpBody(slug) });
    expect(res.status).toBe(201);
    const text = await res.text();
    const row = await env.DB.prepare("SELECT password_hash FROM users WHERE email = ?")
      .bind(`${slug}@example.com`)
      .first<{ password_hash: string }>();
    expect(row?.password_hash).toMatch(/^pbkdf2-sha256\$/);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(row?.password_hash ?? "<no hash>");
    expect(text).not.toContain("pbkdf2");
  });

  it("a replayed sign-up sets no cookie, and the stored replay holds no session token", async () => {
    const ip = freshIp();
    const key = unique("key-");
    const body = merchantSignUpBody(unique("replay"));
    const first = await callFrom(ip, "/api/onboarding/merchants", { body, headers: { "idempotency-key": key } });
    expect(first.status).toBe(201);
    const token = setCookie(first, "ec_session").value;
    const retry = await callFrom(ip, "/api/onboarding/merchants", { body, headers: { "idempotency-key": key } });
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.headers.getSetCookie()).toEqual([]);
    const stored = await env.DB.prepare("SELECT response_body, response_headers FROM idempotency_keys WHERE key = ?")
      .bind(key)
      .first<{ response_body: string; response_headers: string }>();
    expect(stored?.response_body).toBeTruthy();
    expect(`${stored?.response_body}${stored?.response_headers}`).not.toContain(token);
    expect(stored?.response_headers.toLowerCase()).not.toContain("set-cookie");
  });

  it("another client reusing someone's Idempotency-Key does not receive their stored response", async () => {
    const key = unique("key-");
    const body = merchantSignUpBody(unique("scope"));
    const first = await callFrom(freshIp(), "/api/onboarding/merchants", { body, headers: { "idempotency-key": key } });
    expect(first.status).toBe(201);
    const stranger = await callFrom(freshIp(), "/api/onboarding/merchants", {
      body,
      headers: { "idempotency-key": key },
    });
    expect(stranger.headers.get("idempotent-replayed")).toBeNull();
    // Run as a fresh request, it meets the shop the first client opened.
    await problemOf(stranger, 409, "slug_taken");
  });
});

describe("sign-up rate limit", () => {
  it(`after ${SIGN_UPS_PER_IP_PER_HOUR} sign-ups from one address the next is 429 with Retry-After and is not remembered for its key`, async () => {
    const ip = freshIp();
    for (let i = 0; i < SIGN_UPS_PER_IP_PER_HOUR; i++) {
      const res = await callFrom(ip, "/api/onboarding/merchants", { body: merchantSignUpBody(unique("bulk")) });
      expect(res.status, `sign-up ${i + 1}: ${await res.clone().text()}`).toBe(201);
    }
    const key = unique("key-");
    const slug = unique("bulk");
    const res = await callFrom(ip, "/api/onboarding/merchants", {
      body: merchantSignUpBody(slug),
      headers: { "idempotency-key": key },
    });
    const retryAfter = Number(res.headers.get("retry-after"));
    await problemOf(res, 429, "rate_limited");
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(await countRows("SELECT COUNT(*) AS n FROM merchants WHERE slug = ?", slug)).toBe(0);
    // A 429 must stay retryable with the same key later.
    expect(await countRows("SELECT COUNT(*) AS n FROM idempotency_keys WHERE key = ?", key)).toBe(0);
    // Supplier applications share the limit.
    const supplier = await callFrom(ip, "/api/onboarding/suppliers", {
      body: {
        companyName: "x",
        contactName: "y",
        contactPhone: "13900139000",
        email: `${unique("s")}@example.com`,
        password: PASSWORD,
      },
    });
    await problemOf(supplier, 429, "rate_limited");
    // Someone else is not affected.
    expect(
      (await callFrom(freshIp(), "/api/onboarding/merchants", { body: merchantSignUpBody(unique("ok")) })).status,
    ).toBe(201);
  });
});

describe("a new account opens only its own console", () => {
  it("a merchant owner cannot read a supplier profile, and a supplier cannot read a merchant profile", async () => {
    const shop = await openShop();
    const supplier = await applyAsSupplier();
    await problemOf(await call("/api/supplier/profile", { session: shop }), 403, "forbidden");
    await problemOf(await call("/api/merchant/profile", { session: supplier }), 403, "forbidden");
  });

  it("an owner of shop A cannot read shop B's staff, even naming shop B in X-Org-Id", async () => {
    const a = await openShop();
    const b = await openShop();
    const own = await call("/api/merchant/staff", { session: a });
    expect(own.status).toBe(200);
    const { items } = await own.json<{ items: { userId: string }[] }>();
    expect(items.map((m) => m.userId)).toEqual([a.userId]);
    await problemOf(
      await call("/api/merchant/staff", { session: a, headers: { "x-org-id": b.merchantId } }),
      403,
      "forbidden",
    );
  });
});
