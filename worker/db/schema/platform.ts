/**
 * @module platform tables: idempotency records, the event outbox, processed events, notifications, dev outbox.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    /** Who sent the request (user, API key org, shopper or client address) so keys never collide across callers. */
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    state: text("state", { enum: ["in_progress", "done"] }).notNull(),
    responseStatus: integer("response_status"),
    responseHeaders: text("response_headers"),
    responseBody: text("response_body"),
    createdAtMs: integer("created_at_ms").notNull(),
    lockedUntilMs: integer("locked_until_ms").notNull(),
    expiresAtMs: integer("expires_at_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index("idempotency_expiry").on(t.expiresAtMs)],
);

/** Events are written here in the same D1 batch as the change they describe, then relayed to the queue. */
export const outbox = sqliteTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    payload: text("payload").notNull(),
    occurredAtMs: integer("occurred_at_ms").notNull(),
    sentAtMs: integer("sent_at_ms"),
  },
  (t) => [index("outbox_unsent").on(t.sentAtMs, t.occurredAtMs)],
);

export const processedEvents = sqliteTable(
  "processed_events",
  {
    consumer: text("consumer").notNull(),
    eventId: text("event_id").notNull(),
    processedAtMs: integer("processed_at_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.consumer, t.eventId] })],
);

export const deadLetters = sqliteTable("dead_letters", {
  eventId: text("event_id").primaryKey(),
  type: text("type").notNull(),
  body: text("body").notNull(),
  attempts: integer("attempts").notNull(),
  receivedAtMs: integer("received_at_ms").notNull(),
});

export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    orgType: text("org_type", { enum: ["platform", "supplier", "merchant"] }).notNull(),
    orgId: text("org_id").notNull(),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    sourceEventId: text("source_event_id").notNull(),
    createdAtMs: integer("created_at_ms").notNull(),
    readAtMs: integer("read_at_ms"),
  },
  (t) => [index("notifications_org").on(t.orgType, t.orgId, t.createdAtMs)],
);

/** Messages that would go out by SMS or email; filled only when APP_ENV is "development". */
export const devOutbox = sqliteTable("dev_outbox", {
  id: text("id").primaryKey(),
  channel: text("channel", { enum: ["sms", "email"] }).notNull(),
  recipient: text("recipient").notNull(),
  subject: text("subject").notNull(),
  body: text("body").notNull(),
  createdAtMs: integer("created_at_ms").notNull(),
});
