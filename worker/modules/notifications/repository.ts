/**
 * @module notifications/repository: per-organisation inboxes fed by domain events.
 */
import { and, desc, eq } from "drizzle-orm";
import { database } from "../../db/client";
import { notifications } from "../../db/schema";
import type { OrgType } from "../orgs/repository";

export type NotificationRow = typeof notifications.$inferSelect;

export function insertNotification(d1: D1Database, row: typeof notifications.$inferInsert) {
  return database(d1).insert(notifications).values(row);
}

export async function listNotifications(d1: D1Database, org: { orgType: OrgType; orgId: string }, limit = 50) {
  return database(d1)
    .select()
    .from(notifications)
    .where(and(eq(notifications.orgType, org.orgType), eq(notifications.orgId, org.orgId)))
    .orderBy(desc(notifications.createdAtMs))
    .limit(limit);
}
