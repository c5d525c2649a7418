/**
 * @module checkout tables (first part): shoppers' address books and suppliers' shipping templates.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const addresses = sqliteTable(
  "addresses",
  {
    id: text("id").primaryKey(),
    shopperId: text("shopper_id").notNull(),
    recipientName: text("recipient_name").notNull(),
    phone: text("phone").notNull(),
    province: text("province").notNull(),
    city: text("city").notNull(),
    district: text("district").notNull(),
    detail: text("detail").notNull(),
    postalCode: text("postal_code"),
    isDefault: integer("is_default", { mode: "boolean" }).notNull().default(false),
    createdAtMs: integer("created_at_ms").notNull(),
    updatedAtMs: integer("updated_at_ms").notNull(),
    deletedAtMs: integer("deleted_at_ms"),
  },
  (t) => [index("addresses_shopper").on(t.shopperId, t.deletedAtMs)],
);

/** One template per supplier decides the shipping fee of that supplier's package. */
export const shippingTemplates = sqliteTable("shipping_templates", {
  supplierId: text("supplier_id").primaryKey(),
  /** "flat": baseFen per package; "weight": baseFen for the first firstWeightGrams, then stepFen per stepGrams. */
  mode: text("mode", { enum: ["flat", "weight"] })
    .notNull()
    .default("flat"),
  baseFen: integer("base_fen").notNull().default(0),
  firstWeightGrams: integer("first_weight_grams").notNull().default(1000),
  stepGrams: integer("step_grams").notNull().default(1000),
  stepFen: integer("step_fen").notNull().default(0),
  /** Free shipping when the package's goods total reaches this; null = never free. */
  freeOverFen: integer("free_over_fen"),
  /** JSON `{"新疆维吾尔自治区": 1500, …}`: extra fen per package for remote provinces (never made free). */
  remoteSurcharges: text("remote_surcharges").notNull().default("{}"),
  updatedAtMs: integer("updated_at_ms").notNull(),
});

/** One cart per owner per shop: a signed-in shopper (`shp_…`) or a guest (`gst_…` from a signed cookie). */
export const carts = sqliteTable(
  "carts",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id").notNull(),
    ownerType: text("owner_type", { enum: ["shopper", "guest"] }).notNull(),
    ownerId: text("owner_id").notNull(),
    createdAtMs: integer("created_at_ms").notNull(),
    updatedAtMs: integer("updated_at_ms").notNull(),
  },
  (t) => [uniqueIndex("carts_owner").on(t.merchantId, t.ownerType, t.ownerId)],
);

export const cartLines = sqliteTable(
  "cart_lines",
  {
    cartId: text("cart_id").notNull(),
    skuId: text("sku_id").notNull(),
    listingId: text("listing_id").notNull(),
    quantity: integer("quantity").notNull(),
    /** The price the shopper saw when adding; only used to flag a change, never to charge. */
    seenPriceFen: integer("seen_price_fen").notNull(),
    addedAtMs: integer("added_at_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.cartId, t.skuId] })],
);
