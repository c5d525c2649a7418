import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../worker/lib/crypto";
import { call, PASSWORD, sessionFrom, unique, uniquePhone } from "../helpers";
import { callFrom, freshIp, openShop, sessionToken, signIn, signInShopper } from "../support/identity";
import { problemOf } from "../support/identity-problems";

// The numbers in worker/lib/rate-limit.ts RULES.
const SIGN_IN_PER_EMAIL = 10;
const SIGN_IN_PER_EMAIL_WINDOW_S = 900;
const SIGN_IN_PER_IP = 30;
const SIGN_IN_PER_IP_WINDOW_S = 600;

async function profileName(session: { cookie: string; csrf: string }): Promise<string> {
  const res = await call("/api/merchant/profile", { session });
  expect(res.status).toBe(200);
  return (await res.json<{ name: string }>()).name;
}

describe("CSRF: writes made with the session cookie need the X-CSRF-Token header", () => {
  it("a cookie write without X-CSRF-Token is 403 csrf_failed and changes nothing", async () => {
    const shop = await openShop();
    const before = await profileName(shop);
    const res = await call("/api/merchant/profile", {
      method: "PATCH",
      session: shop,
      noCsrf: true,
      body: { name: "被篡改的店名" },
    });
    await problemOf(res, 403, "csrf_failed");
    expect(await profileName(shop)).toBe(before);
  });

  it("a cookie write with a wrong X-CSRF-Token is 403 csrf_failed and changes nothing", async () => {
    const shop = await openShop();
    const before = await profileName(shop);
    const res = await call("/api/merchant/profile", {
      method: "PATCH",
      session: shop,
      noCsrf: true,
      // Change the last character to one it is not, so the token always differs.
      headers: { "x-csrf-token": `${shop.csrf.slice(0, -1)}${shop.csrf.endsWith("x") ? "y" : "x"}` },
      body: { name: "被篡改的店名" },
    });
    await problemOf(res, 403, "csrf_failed");
    expect(await profileName(shop)).toBe(before);
  });

  it("the CSRF token of another session does not unlock this session's writes", async () => {
    const shop = await openShop();
    const other = await openShop();
    const res = await call("/api/merchant/profile", {
      method: "PATCH",
      session: { cookie: shop.cookie, csrf: other.csrf },
      body: { name: "被篡改的店名" },
    });
    await problemOf(res, 403, "csrf_failed");
  });

  it("sign-out, too, needs the token, so a cross-site form cannot sign a user out", async () => {
    const shop = await openShop();
    await problemOf(
      await call("/api/auth/sign-out", { method: "POST", session: shop, noCsrf: true }),
      403,
      "csrf_failed",
    );
    expect((await call("/api/auth/session", { session: shop })).status).toBe(200);
  });

  it("with the right token the same write goes through", async () => {
    const shop = await openShop();
    const name = unique("新店名");
    const res = await call("/api/merchant/profile", { method: "PATCH", session: shop, body: { name } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await profileName(shop)).toBe(name);
  });
});

describe("sign-in rate limits", () => {
  it(`after ${SIGN_IN_PER_EMAIL} attempts for one email the next is 429 rate_limited with Retry-After`, async () => {
    const shop = await openShop();
    const ip = freshIp();
    for (let i = 0; i < SIGN_IN_PER_EMAIL; i++) {
      const res = await signIn(ip, shop.email, `wrong-password-${i}`);
      expect(res.status, `attempt ${i + 1}`).toBe(401);
    }
    const res = await signIn(ip, shop.email, "wrong-password-again");
    const retryAfter = Number(res.headers.get("retry-after"));
    const problem = await problemOf(res, 429, "rate_limited");
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(SIGN_IN_PER_EMAIL_WINDOW_S);
    expect(problem.retryAfterSeconds).toBe(retryAfter);
  });

  it("once an email is locked even its correct password is refused, so guessing cannot continue", async () => {
    const shop = await openShop();
    for (let i = 0; i < SIGN_IN_PER_EMAIL; i++) {
      expect((await signIn(freshIp(), shop.email, `wrong-password-${i}`)).status).toBe(401);
    }
    // From yet another address: the limit follows the email, not the address.
    const res = await signIn(freshIp(), shop.email, PASSWORD);
    await problemOf(res, 429, "rate_limited");
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("a locked email does not lock other accounts signing in from the same address", async () => {
    const victim = await openShop();
    const colleague = await openShop();
    const ip = freshIp();
    for (let i = 0; i <= SIGN_IN_PER_EMAIL; i++) await signIn(ip, victim.email, `wrong-password-${i}`);
    expect((await signIn(ip, victim.email)).status).toBe(429);
    expect((await signIn(ip, colleague.email)).status).toBe(200);
  });

  it(`after ${SIGN_IN_PER_IP} attempts from one address, a new email from that address is 429 too`, async () => {
    const ip = freshIp();
    for (let i = 0; i < SIGN_IN_PER_IP; i++) {
      const res = await signIn(ip, `${unique("spray")}@example.com`, "wrong-password");
      expect(res.status, `attempt ${i + 1}`).toBe(401);
    }
    const shop = await openShop();
    const res = await signIn(ip, shop.email);
    const retryAfter = Number(res.headers.get("retry-after"));
    await problemOf(res, 429, "rate_limited");
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(SIGN_IN_PER_IP_WINDOW_S);
    // Another address is not affected.
    expect((await signIn(freshIp(), shop.email)).status).toBe(200);
  });
});

describe("what the database holds", () => {
  it("stores passwords as salted PBKDF2-SHA256 with 100000 iterations, different for two users with one password", async () => {
    const a = await openShop();
    const b = await openShop();
    const hashOf = async (email: string) => {
      const row = await env.DB.prepare("SELECT password_hash FROM users WHERE email = ?")
        .bind(email)
        .first<{ password_hash: string }>();
      if (!row) throw new Error(`no user ${email}`);
      return row.password_hash;
    };
    const [hashA, hashB] = [await hashOf(a.email), await hashOf(b.email)];
    const format = /^pbkdf2-sha256\$100000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/;
    expect(hashA).toMatch(format);
    expect(hashB).toMatch(format);
    expect(hashA).not.toBe(hashB);
    expect(hashA.split("$")[2]).not.toBe(hashB.split("$")[2]);
    expect(hashA).not.toContain(PASSWORD);
  });

  it("stores only a hash of the session token, so a leaked sessions table does not sign anyone in", async () => {
    const shop = await openShop();
    const session = sessionFrom(await signIn(freshIp(), shop.email));
    const token = sessionToken(session);
    const raw = await env.DB.prepare("SELECT COUNT(*) AS n FROM sessions WHERE token_hash = ?").bind(token).first<{
      n: number;
    }>();
    expect(raw?.n).toBe(0);
    const row = await env.DB.prepare("SELECT subject_id FROM sessions WHERE token_hash = ?")
      .bind(await sha256Hex(token))
      .first<{ subject_id: string }>();
    expect(row?.subject_id).toBe(shop.userId);
    // The stored hash used as a cookie is worthless.
    const res = await call("/api/auth/session", { headers: { cookie: `ec_session=${await sha256Hex(token)}` } });
    await problemOf(res, 401, "unauthenticated");
  });
});

describe("who may use staff routes", () => {
  it("a shopper's session is not a staff session: /api/auth/session is 403 forbidden", async () => {
    const shop = await openShop();
    const shopper = await signInShopper(freshIp(), shop.host, uniquePhone());
    await problemOf(await call("/api/auth/session", { session: shopper }), 403, "forbidden");
    await problemOf(await call("/api/merchant/profile", { session: shopper }), 403, "forbidden");
  });

  it("the session cookie of a merchant does not open another merchant's console: X-Org-Id of shop B is 403", async () => {
    const a = await openShop();
    const b = await openShop();
    const res = await call("/api/merchant/staff", { session: a, headers: { "x-org-id": b.merchantId } });
    await problemOf(res, 403, "forbidden");
    const profile = await call("/api/merchant/profile", { session: a, headers: { "x-org-id": b.merchantId } });
    await problemOf(profile, 403, "forbidden");
  });

  it("a malformed Authorization header is 401 api_key_invalid even with a valid cookie", async () => {
    const shop = await openShop();
    const res = await callFrom(freshIp(), "/api/merchant/profile", {
      session: shop,
      headers: { authorization: "Basic dXNlcjpwYXNz" },
    });
    await problemOf(res, 401, "api_key_invalid");
  });
});
