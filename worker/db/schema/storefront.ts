/**
 * @module storefront tables: merchants' shop settings, their listings (picked products at their own prices) and
 * company-welfare employee codes.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const shopSettings = sqliteTable("shop_settings", {
  merchantId: text("merchant_id").primaryKey(),
  template: text("template", { enum: ["general", "baby", "welfare"] })
    .notNull()
    .default("general"),
  logoKey: text("logo_key"),
  /** Overrides the platform's default minimum margin; basis points of the supply price. */
  minMarginBps: integer("min_margin_bps"),
  /** JSON array of home sections: banner, collection, recommendations. */
  homeSections: text("home_sections").notNull().default("[]"),
  /** Bumped on every change that alters rendered pages; part of the page cache key, so a bump purges. */
  catalogVersion: integer("catalog_version").notNull().default(1),
  /** When a supplier cannot fulfil, the platform may send the sub-order to another supplier of the same barcode. */
  allowReroute: integer("allow_reroute", { mode: "boolean" }).notNull().default(false),
  /** Who approves or rejects shoppers' after-sale requests: the shop, or the supplier of the package. */
  refundDecider: text("refund_decider", { enum: ["merchant", "supplier"] })
    .notNull()
    .default("merchant"),
  updatedAtMs: integer("updated_at_ms").notNull(),
});

export const platformSettings = sqliteTable("platform_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

export const listings = sqliteTable(
  "listings",
  {
    id: text("id").primaryKey(),
    merchantId: text("merchant_id").notNull(),
    productId: text("product_id").notNull(),
    status: text("status", { enum: ["active", "paused", "removed"] })
      .notNull()
      .default("active"),
    /** Why the platform paused it (a guardrail broke); null when the merchant is in control. */
    pauseReason: text("pause_reason"),
    createdAtMs: integer("created_at_ms").notNull(),
    updatedAtMs: integer("updated_at_ms").notNull(),
  },
  (t) => [
    uniqueIndex("listings_merchant_product").on(t.merchantId, t.productId),
    index("listings_product").on(t.productId),
  ],
);

export const listingSkus = sqliteTable(
  "listing_skus",
  {
    listingId: text("listing_id").notNull(),
    skuId: text("sku_id").notNull(),
    merchantId: text("merchant_id").notNull(),
    priceFen: integer("price_fen").notNull(),
  },
  (t) => [primaryKey({ columns: [t.listingId, t.skuId] }), index("listing_skus_sku").on(t.skuId)],
);

export const welfareCodes = sqliteTable(
  "welfare_codes",
  {
    merchantId: text("merchant_id").notNull(),
    code: text("code").notNull(),
    label: text("label").notNull().default(""),
    claimedByShopperId: text("claimed_by_shopper_id"),
    claimedAtMs: integer("claimed_at_ms"),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.code] })],
);
