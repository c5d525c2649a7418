import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, platformAdmin, type Session, sessionFrom, unique } from "../helpers";
import { addressScope, storedRecord, userScope, withKey } from "../support/idempotency";
import {
  apply,
  decideAs,
  merchantsWithSlug,
  patchProfile,
  renameDirectly,
  SUPPLIER_PROFILE_PATH,
  shopName,
  signUp,
  statusChanges,
  supplierStatus,
  usersWithEmail,
} from "../support/idempotency-routes";
import { expectCode } from "../support/problems";
import { applyAsSupplier, openShop, uniqueIp } from "../support/tenants";

let shopA: MerchantTenant;
let admin: Session & { userId: string };

beforeAll(async () => {
  [shopA, admin] = await Promise.all([openShop(), platformAdmin()]);
});

const decide = (supplierId: string, decision: string, key?: string, body?: unknown) =>
  decideAs(admin, supplierId, decision, key, body);

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
