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
import { call, type MerchantTenant, PASSWORD, platformAdmin, type Session, sessionFrom, unique } from "../helpers";
import { addressScope, plantInProgress, storedRecord, storedRecords, userScope, withKey } from "../support/idempotency";
import { expectCode } from "../support/problems";
import { applyAsSupplier, openShop, uniqueIp } from "../support/tenants";

const PROFILE_PATH = "/api/merchant/profile";
const SUPPLIER_PROFILE_PATH = "/api/supplier/profile";
const MERCHANT_SIGN_UP = "/api/onboarding/merchants";
const SUPPLIER_APPLY = "/api/onboarding/suppliers";

let shopA: MerchantTenant;
let shopB: MerchantTenant;
let admin: Session & { userId: string };

beforeAll(async () => {
  [shopA, shopB, admin] = await Promise.all([openShop(), openShop(), platformAdmin()]);
});

// ---- requests ------------------------------------------------------------------------------------------------

/** PATCH the shop profile; `body` may be a string so a test can send exactly the bytes it hashed. */
function patchProfile(owner: Session, body: unknown, key?: string): Promise<Response> {
  return call(PROFILE_PATH, { method: "PATCH", session: owner, body, headers: key === undefined ? {} : withKey(key) });
}

function signUpBody(slug: string) {
  return { shopName: `店铺 ${slug}`, slug, ownerName: "店主", email: `${slug}@example.com`, password: PASSWORD };
}

function supplierBody(name: string) {
  return {
    companyName: `${name} 供应链`,
    contactName: "联系人",
    contactPhone: "13900139000",
    email: `${name}@supplier.example.com`,
    password: PASSWORD,
  };
}

function signUp(ip: string, slug: string, key: string): Promise<Response> {
  return call(MERCHANT_SIGN_UP, { body: signUpBody(slug), headers: { ...withKey(key), "cf-connecting-ip": ip } });
}

function apply(ip: string, name: string, key: string): Promise<Response> {
  return call(SUPPLIER_APPLY, { body: supplierBody(name), headers: { ...withKey(key), "cf-connecting-ip": ip } });
}

function decide(supplierId: string, decision: string, key?: string, body?: unknown): Promise<Response> {
  return call(`/api/platform/suppliers/${supplierId}/${decision}`, {
    method: "POST",
    session: admin,
    body,
    headers: key === undefined ? {} : withKey(key),
  });
}

// ---- effects counted in D1 -----------------------------------------------------------------------------------

async function shopName(merchantId: string): Promise<string | undefined> {
  const row = await env.DB.prepare("SELECT name FROM merchants WHERE id = ?")
    .bind(merchantId)
    .first<{ name: string }>();
  return row?.name;
}

/** Renames a shop behind the API's back, so a later re-run of a PATCH would be visible. */
async function renameDirectly(merchantId: string, name: string): Promise<void> {
  const result = await env.DB.prepare("UPDATE merchants SET name = ? WHERE id = ?").bind(name, merchantId).run();
  expect(result.meta.changes).toBe(1);
}

async function count(sql: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

const merchantsWithSlug = (slug: string) => count("SELECT COUNT(*) AS n FROM merchants WHERE slug = ?", slug);
const usersWithEmail = (email: string) => count("SELECT COUNT(*) AS n FROM users WHERE email = ?", email);
const statusChanges = (supplierId: string) =>
  count(
    "SELECT COUNT(*) AS n FROM outbox WHERE type = 'supplier.status_changed' AND json_extract(payload, '$.supplierId') = ?",
    supplierId,
  );

async function supplierStatus(supplierId: string): Promise<string | undefined> {
  const row = await env.DB.prepare("SELECT status FROM suppliers WHERE id = ?")
    .bind(supplierId)
    .first<{ status: string }>();
  return row?.status;
}

// ---- tests ---------------------------------------------------------------------------------------------------

describe("replays", () => {
  it("the same key twice replays the first response and does not run the PATCH again", async () => {
    const key = unique("idem-");
    const name = unique("名");
    const first = await patchProfile(shopA, { name }, key);
    expect(first.status, await first.clone().text()).toBe(200);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const firstBody = await first.text();
    expect(JSON.parse(firstBody)).toMatchObject({ id: shopA.merchantId, name });

    const meanwhile = unique("改");
    await renameDirectly(shopA.merchantId, meanwhile);

    const second = await patchProfile(shopA, { name }, key);
    expect(second.status).toBe(200);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.headers.get("content-type")).toContain("application/json");
    expect(await second.text()).toBe(firstBody);
    expect(await shopName(shopA.merchantId), "a re-run would have renamed the shop back").toBe(meanwhile);
  });

  it("a replayed response still carries its own X-Request-Id", async () => {
    const key = unique("idem-");
    const body = { name: unique("名") };
    const first = await patchProfile(shopA, body, key);
    expect(first.status).toBe(200);
    const firstId = first.headers.get("x-request-id");
    expect(firstId, "X-Request-Id on the first response").not.toBeNull();
    const second = await patchProfile(shopA, body, key);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    const id = second.headers.get("x-request-id");
    expect(id, "X-Request-Id on the replay").not.toBeNull();
    expect(id).not.toBe(firstId);
  });

  it("a quoted Structured Field key is the same key as the bare token", async () => {
    const key = unique("idem-");
    const body = { name: unique("名") };
    expect((await patchProfile(shopA, body, key)).status).toBe(200);
    const meanwhile = unique("改");
    await renameDirectly(shopA.merchantId, meanwhile);
    const quoted = await patchProfile(shopA, body, `"${key}"`);
    expect(quoted.status).toBe(200);
    expect(quoted.headers.get("idempotent-replayed")).toBe("true");
    expect(await shopName(shopA.merchantId)).toBe(meanwhile);
  });

  it("without an Idempotency-Key every request is new (the header is optional here)", async () => {
    const name = unique("名");
    const first = await patchProfile(shopA, { name });
    expect(first.status).toBe(200);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    await renameDirectly(shopA.merchantId, unique("改"));
    const second = await patchProfile(shopA, { name });
    expect(second.status).toBe(200);
    expect(second.headers.get("idempotent-replayed")).toBeNull();
    expect(await shopName(shopA.merchantId), "the second PATCH ran again").toBe(name);
  });

  it("a 4xx validation response is stored and replayed too", async () => {
    const key = unique("idem-");
    const first = await patchProfile(shopA, { name: "" }, key);
    const firstBody = await first.clone().text();
    await expectCode(first, 400, "validation_failed");
    const record = await storedRecord(userScope(shopA.userId), key);
    expect(record?.state).toBe("done");
    expect(record?.response_status).toBe(400);

    const second = await patchProfile(shopA, { name: "" }, key);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.headers.get("content-type")).toContain("application/problem+json");
    expect(second.status).toBe(400);
    expect(await second.text()).toBe(firstBody);
  });

  it("the supplier profile PATCH replays too, and a replay leaves a later change alone", async () => {
    const supplier = await applyAsSupplier();
    const key = unique("idem-");
    const first = await call(SUPPLIER_PROFILE_PATH, {
      method: "PATCH",
      session: supplier,
      body: { contactName: "第一位" },
      headers: withKey(key),
    });
    expect(first.status, await first.clone().text()).toBe(200);
    const firstBody = await first.text();
    const other = await call(SUPPLIER_PROFILE_PATH, {
      method: "PATCH",
      session: supplier,
      body: { contactName: "第二位" },
    });
    expect(other.status).toBe(200);

    const replay = await call(SUPPLIER_PROFILE_PATH, {
      method: "PATCH",
      session: supplier,
      body: { contactName: "第一位" },
      headers: withKey(key),
    });
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.text()).toBe(firstBody);
    const row = await env.DB.prepare("SELECT contact_name FROM suppliers WHERE id = ?")
      .bind(supplier.supplierId)
      .first<{ contact_name: string }>();
    expect(row?.contact_name).toBe("第二位");
  });
});

describe("sign-up retried with the same key", () => {
  it("a merchant sign-up replays the same 201, makes ONE merchant, and hands out no session a second time", async () => {
    const ip = uniqueIp();
    const slug = unique("replay");
    const key = unique("idem-");
    const first = await signUp(ip, slug, key);
    expect(first.status, await first.clone().text()).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const token = /^ec_session=([^;]+)/.exec(sessionFrom(first).cookie)?.[1];
    expect(token, "the first response signs the owner in").toBeTruthy();
    const firstBody = await first.text();

    const replay = await signUp(ip, slug, key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.headers.get("set-cookie")).toBeNull();
    expect(replay.headers.getSetCookie()).toEqual([]);
    expect(await replay.text()).toBe(firstBody);

    expect(await merchantsWithSlug(slug)).toBe(1);
    expect(await usersWithEmail(`${slug}@example.com`)).toBe(1);

    const record = await storedRecord(addressScope(ip), key);
    expect(record?.state).toBe("done");
    expect(record?.response_status).toBe(201);
    expect(record?.response_body).toBe(firstBody);
    expect(record?.response_body).not.toContain(token ?? "no token");
    expect(record?.response_headers ?? "").not.toMatch(/set-cookie|ec_session/i);
  });

  it("a supplier application replays the same 201 and makes ONE account", async () => {
    const ip = uniqueIp();
    const name = unique("sup");
    const key = unique("idem-");
    const send = () => apply(ip, name, key);
    const first = await send();
    expect(first.status, await first.clone().text()).toBe(201);
    const firstBody = await first.text();
    const replay = await send();
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.headers.getSetCookie()).toEqual([]);
    expect(await replay.text()).toBe(firstBody);
    expect(await usersWithEmail(`${name}@supplier.example.com`)).toBe(1);
  });
});

describe("platform supplier decisions", () => {
  it("an approve retried with the same key replays 200 instead of 409, with ONE status_changed event", async () => {
    const supplier = await applyAsSupplier();
    const key = unique("idem-");
    const first = await decide(supplier.supplierId, "approve", key);
    expect(first.status, await first.clone().text()).toBe(200);
    const firstBody = await first.text();
    expect(JSON.parse(firstBody)).toMatchObject({ id: supplier.supplierId, status: "approved" });

    const retry = await decide(supplier.supplierId, "approve", key);
    expect(retry.status, "not 409 invalid_transition").toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await retry.text()).toBe(firstBody);
    expect(await supplierStatus(supplier.supplierId)).toBe("approved");
    expect(await statusChanges(supplier.supplierId)).toBe(1);
  });

  it("without a key the same retry runs again and is refused as an invalid transition", async () => {
    const supplier = await applyAsSupplier();
    expect((await decide(supplier.supplierId, "approve")).status).toBe(200);
    await expectCode(await decide(supplier.supplierId, "approve"), 409, "invalid_transition");
    expect(await statusChanges(supplier.supplierId)).toBe(1);
  });

  it("a reject with a reason replays too; the same key with another reason is 422 and changes nothing", async () => {
    const supplier = await applyAsSupplier();
    const key = unique("idem-");
    const first = await decide(supplier.supplierId, "reject", key, { reason: "资质不全" });
    expect(first.status, await first.clone().text()).toBe(200);
    const replay = await decide(supplier.supplierId, "reject", key, { reason: "资质不全" });
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    await expectCode(
      await decide(supplier.supplierId, "reject", key, { reason: "另一个理由" }),
      422,
      "idempotency_key_reused",
    );
    expect(await supplierStatus(supplier.supplierId)).toBe("rejected");
    expect(await statusChanges(supplier.supplierId)).toBe(1);
  });

  it("the same key for another supplier is 422 and leaves that supplier pending", async () => {
    const [one, two] = await Promise.all([applyAsSupplier(), applyAsSupplier()]);
    const key = unique("idem-");
    expect((await decide(one.supplierId, "approve", key)).status).toBe(200);
    await expectCode(await decide(two.supplierId, "approve", key), 422, "idempotency_key_reused");
    expect(await supplierStatus(two.supplierId)).toBe("pending");
    expect(await statusChanges(two.supplierId)).toBe(0);
  });
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
