/**
 * @module checkout tables (first part): shoppers' address books and suppliers' shipping templates.
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

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
