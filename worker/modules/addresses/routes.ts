/**
 * @module addresses/routes: `/api/shop/addresses` on a storefront host — the signed-in shopper's address book.
 * Another shopper's address is 404, exactly like a missing one.
 */
import { createRoute, IdempotencyHeader, jsonBody, jsonOk, problems, router } from "../../lib/openapi";
import { idempotent } from "../../middleware/idempotency";
import { requireShopHost } from "../../middleware/shop";
import { requireShopper } from "../auth/identity";
import { AddressListSchema, AddressParams, AddressSchema, CreateAddressBody, UpdateAddressBody } from "./schemas";
import { addressBookOf, createAddress, deleteAddress, makeDefaultAddress, updateAddress } from "./service";

export const addressRoutes = router();
const tags = ["Shopper addresses"];
const denied = problems("unauthenticated", "session_expired", "forbidden", "csrf_failed", "shop_not_found");

addressRoutes.openapi(
  createRoute({
    method: "get",
    path: "/addresses",
    tags,
    summary: "Your address book (the same on every shop you use)",
    responses: { 200: jsonOk(AddressListSchema, "Live addresses, the default first"), ...denied },
  }),
  async (c) => {
    const shopper = requireShopper(c, requireShopHost(c).id);
    return c.json(await addressBookOf(c.env.DB, shopper.shopperId), 200);
  },
);

addressRoutes.openapi(
  createRoute({
    method: "post",
    path: "/addresses",
    tags,
    summary: "Add an address (at most 20); the first one becomes the default",
    middleware: [idempotent({ required: false })] as const,
    request: { headers: IdempotencyHeader, body: jsonBody(CreateAddressBody) },
    responses: {
      201: jsonOk(AddressSchema, "Added"),
      ...denied,
      ...problems("validation_failed", "address_book_full"),
    },
  }),
  async (c) => {
    const shopper = requireShopper(c, requireShopHost(c).id);
    const address = await createAddress(c.env.DB, shopper.shopperId, c.req.valid("json"));
    c.header("location", `/api/shop/addresses/${address.id}`);
    return c.json(address, 201);
  },
);

addressRoutes.openapi(
  createRoute({
    method: "put",
    path: "/addresses/{id}",
    tags,
    summary: "Replace an address's fields (orders already placed keep their own copy)",
    request: { params: AddressParams, body: jsonBody(UpdateAddressBody) },
    responses: { 200: jsonOk(AddressSchema, "Saved"), ...denied, ...problems("validation_failed", "not_found") },
  }),
  async (c) => {
    const shopper = requireShopper(c, requireShopHost(c).id);
    const address = await updateAddress(c.env.DB, shopper.shopperId, c.req.valid("param").id, c.req.valid("json"));
    return c.json(address, 200);
  },
);

addressRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/addresses/{id}",
    tags,
    summary: "Delete an address; if it was the default, the newest remaining one becomes the default",
    request: { params: AddressParams },
    responses: { 204: { description: "Deleted" }, ...denied, ...problems("validation_failed", "not_found") },
  }),
  async (c) => {
    const shopper = requireShopper(c, requireShopHost(c).id);
    await deleteAddress(c.env.DB, shopper.shopperId, c.req.valid("param").id);
    return c.body(null, 204);
  },
);

addressRoutes.openapi(
  createRoute({
    method: "post",
    path: "/addresses/{id}/default",
    tags,
    summary: "Make this the default address (the previous default stops being one in the same write)",
    request: { params: AddressParams },
    responses: {
      200: jsonOk(AddressSchema, "Now the default"),
      ...denied,
      ...problems("validation_failed", "not_found"),
    },
  }),
  async (c) => {
    const shopper = requireShopper(c, requireShopHost(c).id);
    return c.json(await makeDefaultAddress(c.env.DB, shopper.shopperId, c.req.valid("param").id), 200);
  },
);
