/**
 * @module identity tables: staff users, organisations (merchants, suppliers), memberships, sessions, API keys.
 */

import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  createdAtMs: integer("created_at_ms").notNull(),
});

export const merchants = sqliteTable("merchants", {
  id: text("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  themeColor: text("theme_color").notNull().default("#e4393c"),
  status: text("status", { enum: ["active", "suspended"] })
    .notNull()
    .default("active"),
  createdAtMs: integer("created_at_ms").notNull(),
});

export const suppliers = sqliteTable("suppliers", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  contactName: text("contact_name").notNull(),
  contactPhone: text("contact_phone").notNull(),
  status: text("status", { enum: ["pending", "approved", "suspended", "rejected"] })
    .notNull()
    .default("pending"),
  statusReason: text("status_reason"),
  createdAtMs: integer("created_at_ms").notNull(),
  reviewedAtMs: integer("reviewed_at_ms"),
});

/** orgType "platform" has the single orgId "platform". */
export const memberships = sqliteTable(
  "memberships",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    orgType: text("org_type", { enum: ["platform", "supplier", "merchant"] }).notNull(),
    orgId: text("org_id").notNull(),
    role: text("role", { enum: ["owner", "staff", "admin"] }).notNull(),
    createdAtMs: integer("created_at_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.orgType, t.orgId] }), index("memberships_org").on(t.orgType, t.orgId)],
);

export const invitations = sqliteTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull().unique(),
    orgType: text("org_type", { enum: ["supplier", "merchant"] }).notNull(),
    orgId: text("org_id").notNull(),
    email: text("email").notNull(),
    role: text("role", { enum: ["staff"] }).notNull(),
    invitedBy: text("invited_by").notNull(),
    createdAtMs: integer("created_at_ms").notNull(),
    expiresAtMs: integer("expires_at_ms").notNull(),
    acceptedAtMs: integer("accepted_at_ms"),
    revokedAtMs: integer("revoked_at_ms"),
  },
  (t) => [index("invitations_org").on(t.orgType, t.orgId)],
);

/** A session belongs to a staff user or to a shopper on one shop; only the SHA-256 of its token is stored. */
export const sessions = sqliteTable(
  "sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    subjectType: text("subject_type", { enum: ["user", "shopper"] }).notNull(),
    subjectId: text("subject_id").notNull(),
    merchantId: text("merchant_id"),
    csrfToken: text("csrf_token").notNull(),
    createdAtMs: integer("created_at_ms").notNull(),
    expiresAtMs: integer("expires_at_ms").notNull(),
    revokedAtMs: integer("revoked_at_ms"),
  },
  (t) => [index("sessions_subject").on(t.subjectType, t.subjectId), index("sessions_expiry").on(t.expiresAtMs)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    orgType: text("org_type", { enum: ["supplier", "merchant"] }).notNull(),
    orgId: text("org_id").notNull(),
    name: text("name").notNull(),
    /** The first characters of the key, shown in lists so an owner can tell keys apart. */
    displayPrefix: text("display_prefix").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    createdBy: text("created_by").notNull(),
    createdAtMs: integer("created_at_ms").notNull(),
    lastUsedAtMs: integer("last_used_at_ms"),
    revokedAtMs: integer("revoked_at_ms"),
  },
  (t) => [index("api_keys_org").on(t.orgType, t.orgId)],
);

export const shoppers = sqliteTable("shoppers", {
  id: text("id").primaryKey(),
  phone: text("phone").notNull().unique(),
  createdAtMs: integer("created_at_ms").notNull(),
});

export const shopperMemberships = sqliteTable(
  "shopper_memberships",
  {
    merchantId: text("merchant_id")
      .notNull()
      .references(() => merchants.id),
    shopperId: text("shopper_id")
      .notNull()
      .references(() => shoppers.id),
    joinedAtMs: integer("joined_at_ms").notNull(),
    lastSeenAtMs: integer("last_seen_at_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.shopperId] })],
);

export const otpCodes = sqliteTable(
  "otp_codes",
  {
    id: text("id").primaryKey(),
    phone: text("phone").notNull(),
    merchantId: text("merchant_id").notNull(),
    codeHash: text("code_hash").notNull(),
    attempts: integer("attempts").notNull().default(0),
    createdAtMs: integer("created_at_ms").notNull(),
    expiresAtMs: integer("expires_at_ms").notNull(),
    consumedAtMs: integer("consumed_at_ms"),
  },
  (t) => [index("otp_codes_phone").on(t.merchantId, t.phone, t.createdAtMs)],
);
