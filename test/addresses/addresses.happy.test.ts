import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { PROVINCES } from "../../worker/modules/addresses/regions";
import { ProvinceSchema } from "../../worker/modules/addresses/schemas";
import { addressSnapshot } from "../../worker/modules/addresses/service";
import { call, type MerchantTenant } from "../helpers";
import { addAddress, addressBody, addressBook, defaultsOf, newShopper } from "../support/addresses";
import { letMinutePass } from "../support/identity";
import { openShop } from "../support/tenants";

let shop: MerchantTenant;
let otherShop: MerchantTenant;

beforeAll(async () => {
  [shop, otherShop] = await Promise.all([openShop(), openShop()]);
});

describe("keeping an address book", () => {
  it("a new shopper's book is empty and says how many addresses it holds", async () => {
    const shopper = await newShopper(shop.host);
    const res = await call("/api/shop/addresses", { host: shop.host, session: shopper });
    expect(await res.json()).toEqual({ items: [], max: 20 });
  });

  it("the first address becomes the default, with the phone stored as 11 bare digits", async () => {
    const shopper = await newShopper(shop.host);
    const res = await call("/api/shop/addresses", {
      host: shop.host,
      session: shopper,
      body: addressBody({ phone: "+86 138-0013-8000", recipientName: "  李四 " }),
    });
    expect(res.status).toBe(201);
    const address = await res.json<{ id: string }>();
    expect(res.headers.get("location")).toBe(`/api/shop/addresses/${address.id}`);
    expect(address).toMatchObject({
      id: expect.stringMatching(/^adr_/),
      recipientName: "李四",
      phone: "13800138000",
      province: "浙江省",
      postalCode: "310012",
      isDefault: true,
    });
    expect(await addressBook(shopper, shop.host)).toEqual([address]);
  });

  it("later addresses are not the default unless asked, and asking moves the default in the same write", async () => {
    const shopper = await newShopper(shop.host);
    const first = await addAddress(shopper, shop.host);
    const second = await addAddress(shopper, shop.host, { city: "宁波市" });
    expect(second.isDefault).toBe(false);
    expect(defaultsOf(await addressBook(shopper, shop.host))).toEqual([first.id]);

    const third = await addAddress(shopper, shop.host, { isDefault: true, city: "温州市" });
    expect(third.isDefault).toBe(true);
    const book = await addressBook(shopper, shop.host);
    expect(defaultsOf(book)).toEqual([third.id]);
    expect(book.map((a) => a.id)).toEqual([third.id, second.id, first.id]);
  });

  it("choosing another default leaves exactly one, listed first", async () => {
    const shopper = await newShopper(shop.host);
    const first = await addAddress(shopper, shop.host);
    const second = await addAddress(shopper, shop.host);
    const res = await call(`/api/shop/addresses/${second.id}/default`, {
      method: "POST",
      host: shop.host,
      session: shopper,
    });
    expect(res.status).toBe(200);
    expect((await res.json<{ isDefault: boolean }>()).isDefault).toBe(true);
    const book = await addressBook(shopper, shop.host);
    expect(defaultsOf(book)).toEqual([second.id]);
    expect(book.map((a) => a.id)).toEqual([second.id, first.id]);

    const again = await call(`/api/shop/addresses/${second.id}/default`, {
      method: "POST",
      host: shop.host,
      session: shopper,
    });
    expect(again.status).toBe(200);
    expect(defaultsOf(await addressBook(shopper, shop.host))).toEqual([second.id]);
  });

  it("editing replaces every field; leaving out the postal code clears it", async () => {
    const shopper = await newShopper(shop.host);
    const address = await addAddress(shopper, shop.host);
    const { postalCode: _dropped, ...rest } = addressBody({ province: "新疆维吾尔自治区", city: "乌鲁木齐市" });
    const res = await call(`/api/shop/addresses/${address.id}`, {
      method: "PUT",
      host: shop.host,
      session: shopper,
      body: rest,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const saved = await res.json<Record<string, unknown>>();
    expect(saved).toMatchObject({
      province: "新疆维吾尔自治区",
      city: "乌鲁木齐市",
      postalCode: null,
      isDefault: true,
    });
    expect(saved.updatedAtMs).toBeGreaterThanOrEqual(address.updatedAtMs);
  });

  it("deleting an address removes it from the book; deleting the default makes the newest remaining one the default", async () => {
    const shopper = await newShopper(shop.host);
    const first = await addAddress(shopper, shop.host);
    const second = await addAddress(shopper, shop.host);
    const third = await addAddress(shopper, shop.host);

    const removed = await call(`/api/shop/addresses/${second.id}`, {
      method: "DELETE",
      host: shop.host,
      session: shopper,
    });
    expect(removed.status).toBe(204);
    expect((await addressBook(shopper, shop.host)).map((a) => a.id)).toEqual([first.id, third.id]);

    await call(`/api/shop/addresses/${first.id}`, { method: "DELETE", host: shop.host, session: shopper });
    const book = await addressBook(shopper, shop.host);
    expect(book.map((a) => a.id)).toEqual([third.id]);
    expect(defaultsOf(book)).toEqual([third.id]);

    const row = await env.DB.prepare("SELECT deleted_at_ms FROM addresses WHERE id = ?")
      .bind(first.id)
      .first<{ deleted_at_ms: number | null }>();
    expect(row?.deleted_at_ms).toEqual(expect.any(Number));
  });

  it("the book belongs to the shopper, so the same addresses show on every shop they sign in to", async () => {
    const shopper = await newShopper(shop.host);
    const address = await addAddress(shopper, shop.host);
    await letMinutePass(shopper.phone);
    const elsewhere = await newShopper(otherShop.host, shopper.phone);
    expect(elsewhere.shopperId).toBe(shopper.shopperId);
    expect((await addressBook(elsewhere, otherShop.host)).map((a) => a.id)).toEqual([address.id]);
  });

  it("every one of the 34 provincial-level divisions is accepted by its official name", () => {
    expect(PROVINCES).toHaveLength(34);
    expect(new Set(PROVINCES).size).toBe(34);
    for (const name of ["北京市", "内蒙古自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区", "台湾省"]) {
      expect(PROVINCES).toContain(name);
    }
    for (const province of PROVINCES) expect(ProvinceSchema.safeParse(province).success).toBe(true);
  });
});

describe("a snapshot for an order", () => {
  it("is a frozen copy that later edits and deletion of the address do not change", async () => {
    const shopper = await newShopper(shop.host);
    const address = await addAddress(shopper, shop.host, {
      province: "香港特别行政区",
      city: "香港",
      district: "中西区",
    });
    const snapshot = await addressSnapshot(env.DB, shopper.shopperId, address.id);
    expect(snapshot).toEqual({
      id: address.id,
      recipientName: "张三",
      phone: "13800138000",
      province: "香港特别行政区",
      city: "香港",
      district: "中西区",
      detail: "文三路 90 号 3 幢 201 室",
      postalCode: "310012",
    });
    expect(Object.isFrozen(snapshot)).toBe(true);

    await call(`/api/shop/addresses/${address.id}`, {
      method: "PUT",
      host: shop.host,
      session: shopper,
      body: addressBody({ detail: "另一个地址 1 号" }),
    });
    await call(`/api/shop/addresses/${address.id}`, { method: "DELETE", host: shop.host, session: shopper });
    expect(snapshot.detail).toBe("文三路 90 号 3 幢 201 室");
  });
});
