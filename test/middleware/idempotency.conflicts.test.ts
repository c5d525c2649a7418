/**
 * Idempotency-Key on the routes that take it: shop sign-up and supplier application (anonymous, scoped by client
 * address), the merchant and supplier profile PATCH (scoped per user and X-Org-Id) and the platform's supplier
 * decisions. Every "no second effect" is counted in D1: merchant and user rows, outbox rows, supplier status, and
 * the shop name (changed by another request in between, so a re-run of a PATCH would show).
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../worker/lib/rate-limit";
import { type MerchantTenant, unique } from "../helpers";
import { addressScope, plantInProgress, storedRecord, storedRecords, userScope } from "../support/idempotency";
import {
  apply,
  merchantsWithSlug,
  PROFILE_PATH,
  patchProfile,
  shopName,
  signUp,
  usersWithEmail,
} from "../support/idempotency-routes";
import { expectCode } from "../support/problems";
import { openShop, uniqueIp } from "../support/tenants";

let shopA: MerchantTenant;
let shopB: MerchantTenant;

beforeAll(async () => {
  [shopA, shopB] = await Promise.all([openShop(), openShop()]);
});

describe("conflicts", () => {
  it("the same key with a different body is 422 idempotency_key_reused and changes nothing", async () => {
    const key = unique("idem-");
    const name = unique("名");
    expect((await patchProfile(shopA, { name }, key)).status).toBe(200);
    await expectCode(await patchProfile(shopA, { name: unique("别") }, key), 422, "idempotency_key_reused");
    expect(await shopName(shopA.merchantId)).toBe(name);
  });

  it("the same key on another route is 422 idempotency_key_reused and applies nothing", async () => {
    const ip = uniqueIp();
    const key = unique("idem-");
    expect((await signUp(ip, unique("route"), key)).status).toBe(201);
    const name = unique("sup");
    await expectCode(await apply(ip, name, key), 422, "idempotency_key_reused");
    expect(await usersWithEmail(`${name}@supplier.example.com`)).toBe(0);
  });

  it("a request still in progress with the same key is 409 idempotency_in_progress with Retry-After", async () => {
    const key = unique("idem-");
    const name = unique("名");
    const body = JSON.stringify({ name });
    const now = Date.now();
    await plantInProgress({
      scope: userScope(shopA.userId),
      key,
      method: "PATCH",
      path: PROFILE_PATH,
      body,
      createdAtMs: now,
      lockedUntilMs: now + 60_000,
    });
    const res = await patchProfile(shopA, body, key);
    expect(res.headers.get("retry-after")).toBe("1");
    await expectCode(res, 409, "idempotency_in_progress");
    expect(await shopName(shopA.merchantId)).not.toBe(name);
    expect((await storedRecord(userScope(shopA.userId), key))?.state).toBe("in_progress");
  });

  it("a first attempt that crashed stops blocking its key once its lock runs out", async () => {
    const key = unique("idem-");
    const name = unique("名");
    const body = JSON.stringify({ name });
    const now = Date.now();
    await plantInProgress({
      scope: userScope(shopA.userId),
      key,
      method: "PATCH",
      path: PROFILE_PATH,
      body,
      createdAtMs: now - 120_000,
      lockedUntilMs: now - 60_000,
    });
    const res = await patchProfile(shopA, body, key);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("idempotent-replayed")).toBeNull();
    expect(await shopName(shopA.merchantId)).toBe(name);
    expect((await storedRecord(userScope(shopA.userId), key))?.state).toBe("done");
    expect((await patchProfile(shopA, body, key)).headers.get("idempotent-replayed")).toBe("true");
  });
});

describe("scopes", () => {
  it("the same key and body from another merchant is independent: each shop is renamed", async () => {
    const key = unique("idem-");
    const name = unique("名");
    const a = await patchProfile(shopA, { name }, key);
    const b = await patchProfile(shopB, { name }, key);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.headers.get("idempotent-replayed")).toBeNull();
    expect((await a.json<{ id: string }>()).id).toBe(shopA.merchantId);
    expect((await b.json<{ id: string }>()).id).toBe(shopB.merchantId);
    expect(await shopName(shopA.merchantId)).toBe(name);
    expect(await shopName(shopB.merchantId)).toBe(name);
  });

  it("merchant B reusing merchant A's key with another body is not a conflict", async () => {
    const key = unique("idem-");
    expect((await patchProfile(shopA, { name: unique("名") }, key)).status).toBe(200);
    const nameB = unique("名");
    const b = await patchProfile(shopB, { name: nameB }, key);
    expect(b.status, await b.clone().text()).toBe(200);
    expect(await shopName(shopB.merchantId)).toBe(nameB);
  });

  it("anonymous callers are scoped by client address: the same key from another address is a new request", async () => {
    const key = unique("idem-");
    const slugs = [unique("ip"), unique("ip")];
    for (const slug of slugs) {
      const res = await signUp(uniqueIp(), slug, key);
      expect(res.status, await res.clone().text()).toBe(201);
      expect(res.headers.get("idempotent-replayed")).toBeNull();
      expect(await merchantsWithSlug(slug)).toBe(1);
    }
  });
});

describe("malformed keys", () => {
  it.each([
    ["a space inside", "abc def"],
    ["non-ASCII characters", "clé-é"],
    ["an empty quoted string", '""'],
    ["more than 255 characters", "k".repeat(256)],
  ])("a key with %s is 400 idempotency_key_invalid and nothing is changed", async (_what, key) => {
    const name = unique("名");
    await expectCode(await patchProfile(shopA, { name }, key), 400, "idempotency_key_invalid");
    expect(await shopName(shopA.merchantId)).not.toBe(name);
  });

  it("a key of exactly 255 printable characters is accepted", async () => {
    const name = unique("名");
    const res = await patchProfile(shopA, { name }, unique("k").padEnd(255, "~"));
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await shopName(shopA.merchantId)).toBe(name);
  });
});

describe("responses that must stay retryable", () => {
  it("a 429 is not stored: once the limit lifts, the same key signs up for real", async () => {
    const ip = uniqueIp();
    const limiter = env.RATE_LIMITER.getByName(`signup:ip:${ip}`);
    const limit = Math.min(...RULES.signUpPerIp.map((rule) => rule.limit));
    for (let i = 0; i < limit; i += 1) await limiter.consume(RULES.signUpPerIp);
    const slug = unique("rl");
    const key = unique("idem-");
    const limited = await signUp(ip, slug, key);
    await expectCode(limited, 429, "rate_limited");
    expect(await storedRecords(addressScope(ip), key)).toBe(0);

    const again = await signUp(ip, slug, key);
    expect(again.headers.get("idempotent-replayed")).toBeNull();
    await expectCode(again, 429, "rate_limited");
    expect(await merchantsWithSlug(slug)).toBe(0);

    await runInDurableObject(limiter, (_instance, state) => {
      state.storage.sql.exec("DELETE FROM windows");
    });
    const created = await signUp(ip, slug, key);
    expect(created.status, await created.clone().text()).toBe(201);
    expect(created.headers.get("idempotent-replayed")).toBeNull();
    expect(await storedRecords(addressScope(ip), key)).toBe(1);
    expect(await merchantsWithSlug(slug)).toBe(1);
  });
});
