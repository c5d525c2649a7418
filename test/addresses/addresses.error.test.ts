import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant } from "../helpers";
import { type AddressView, addAddress, addressBody, addressBook, newShopper } from "../support/addresses";
import type { ShopperSession } from "../support/identity";
import { expectCode, issuePaths } from "../support/problems";
import { openShop } from "../support/tenants";

let shop: MerchantTenant;
let shopper: ShopperSession;
let address: AddressView;

beforeAll(async () => {
  shop = await openShop();
  shopper = await newShopper(shop.host);
  address = await addAddress(shopper, shop.host);
});

const long = (n: number) => "长".repeat(n);

describe("addresses refused with 400 validation_failed, naming the field", () => {
  it.each([
    ["an empty recipient name", { recipientName: "   " }, "recipientName"],
    ["a recipient name of 31 characters", { recipientName: long(31) }, "recipientName"],
    ["a landline instead of a mobile number", { phone: "0571-88888888" }, "phone"],
    ["a 10-digit mobile number", { phone: "1380013800" }, "phone"],
    ["a province by its short name", { province: "浙江" }, "province"],
    ["a province that does not exist", { province: "火星省" }, "province"],
    ["an empty city", { city: "" }, "city"],
    ["a city of 21 characters", { city: long(21) }, "city"],
    ["an empty district", { district: " " }, "district"],
    ["a one-character street address", { detail: "号" }, "detail"],
    ["a street address of 121 characters", { detail: long(121) }, "detail"],
    ["a 5-digit postal code", { postalCode: "31001" }, "postalCode"],
    ["a postal code with letters", { postalCode: "31001A" }, "postalCode"],
    ["isDefault sent as text", { isDefault: "yes" }, "isDefault"],
    ["an unknown field", { country: "CN" }, ""],
  ])("%s", async (_name, overrides, path) => {
    const res = await call("/api/shop/addresses", { host: shop.host, session: shopper, body: addressBody(overrides) });
    const problem = await expectCode(res, 400, "validation_failed");
    expect(issuePaths(problem)).toContain(path);
  });

  it("a missing required field is named", async () => {
    const { detail: _left, ...body } = addressBody();
    const problem = await expectCode(
      await call("/api/shop/addresses", { host: shop.host, session: shopper, body }),
      400,
      "validation_failed",
    );
    expect(issuePaths(problem)).toEqual(["detail"]);
  });

  it("an edit cannot change the default through the body (it has its own route)", async () => {
    const res = await call(`/api/shop/addresses/${address.id}`, {
      method: "PUT",
      host: shop.host,
      session: shopper,
      body: addressBody({ isDefault: false }),
    });
    await expectCode(res, 400, "validation_failed");
  });

  it("an edit with an invalid field leaves the address as it was", async () => {
    const res = await call(`/api/shop/addresses/${address.id}`, {
      method: "PUT",
      host: shop.host,
      session: shopper,
      body: addressBody({ province: "Zhejiang" }),
    });
    await expectCode(res, 400, "validation_failed");
    expect((await addressBook(shopper, shop.host))[0]?.province).toBe("浙江省");
  });

  it("an id that is not an adr_ id is 400", async () => {
    await expectCode(
      await call("/api/shop/addresses/lst_abc/default", { method: "POST", host: shop.host, session: shopper }),
      400,
      "validation_failed",
    );
  });
});

describe("addresses that do not exist", () => {
  it.each([
    ["edit", "PUT", "", addressBody()],
    ["delete", "DELETE", "", undefined],
    ["make default", "POST", "/default", undefined],
  ])("%s of an unknown address is 404", async (_name, method, suffix, body) => {
    const res = await call(`/api/shop/addresses/adr_nothere${suffix}`, {
      method,
      host: shop.host,
      session: shopper,
      body,
    });
    await expectCode(res, 404, "not_found");
  });

  it("a deleted address cannot be edited, deleted again or made the default", async () => {
    const gone = await addAddress(shopper, shop.host);
    const path = `/api/shop/addresses/${gone.id}`;
    expect((await call(path, { method: "DELETE", host: shop.host, session: shopper })).status).toBe(204);
    await expectCode(await call(path, { method: "DELETE", host: shop.host, session: shopper }), 404, "not_found");
    await expectCode(
      await call(path, { method: "PUT", host: shop.host, session: shopper, body: addressBody() }),
      404,
      "not_found",
    );
    await expectCode(
      await call(`${path}/default`, { method: "POST", host: shop.host, session: shopper }),
      404,
      "not_found",
    );
  });
});

describe("a full address book", () => {
  it("the 21st address is 409 address_book_full; deleting one makes room again", async () => {
    const full = await newShopper(shop.host);
    const added: AddressView[] = [];
    for (let i = 0; i < 20; i++) added.push(await addAddress(full, shop.host, { detail: `测试路 ${i} 号` }));
    const refused = await call("/api/shop/addresses", {
      host: shop.host,
      session: full,
      body: addressBody({ isDefault: true }),
    });
    const problem = await expectCode(refused, 409, "address_book_full");
    expect(problem.max).toBe(20);
    const book = await addressBook(full, shop.host);
    expect(book).toHaveLength(20);
    // The refused add asked to be the default; the default must not have moved.
    expect(book.filter((a) => a.isDefault).map((a) => a.id)).toEqual([added[0]?.id]);

    const first = added[0];
    if (!first) throw new Error("no address added");
    await call(`/api/shop/addresses/${first.id}`, { method: "DELETE", host: shop.host, session: full });
    await addAddress(full, shop.host);
    const live = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM addresses WHERE shopper_id = ? AND deleted_at_ms IS NULL",
    )
      .bind(full.shopperId)
      .first<{ n: number }>();
    expect(live?.n).toBe(20);
  });
});

describe("outside a shop", () => {
  it("the address book is only on a shop's address: on the platform host it is 404 shop_not_found", async () => {
    await expectCode(await call("/api/shop/addresses", { session: shopper }), 404, "shop_not_found");
  });
});
