/**
 * @module api-keys/repository: integration keys, stored as SHA-256 and always looked up within their org.
 */
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import { database } from "../../db/client";
import { apiKeys } from "../../db/schema";
import type { OrgRef } from "../orgs/repository";

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export async function findActiveKeyByHash(d1: D1Database, keyHash: string): Promise<ApiKeyRow | undefined> {
  const [row] = await database(d1)
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAtMs)))
    .limit(1);
  return row;
}

export async function insertKey(d1: D1Database, row: typeof apiKeys.$inferInsert): Promise<void> {
  await database(d1).insert(apiKeys).values(row);
}

export async function listKeys(d1: D1Database, org: OrgRef): Promise<ApiKeyRow[]> {
  return database(d1)
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.orgType, org.orgType), eq(apiKeys.orgId, org.orgId)))
    .orderBy(desc(apiKeys.createdAtMs));
}

export async function revokeKey(
  d1: D1Database,
  org: OrgRef,
  keyId: string,
  nowMs: number,
): Promise<ApiKeyRow | undefined> {
  const db = database(d1);
  const where = and(eq(apiKeys.id, keyId), eq(apiKeys.orgType, org.orgType), eq(apiKeys.orgId, org.orgId));
  await db
    .update(apiKeys)
    .set({ revokedAtMs: nowMs })
    .where(and(where, isNull(apiKeys.revokedAtMs)));
  const [row] = await db.select().from(apiKeys).where(where).limit(1);
  return row;
}

/** Writes last-used at most once a minute per key so busy integrations do not turn every read into a write. */
export async function touchKey(d1: D1Database, keyId: string, nowMs: number): Promise<void> {
  await database(d1)
    .update(apiKeys)
    .set({ lastUsedAtMs: nowMs })
    .where(and(eq(apiKeys.id, keyId), or(isNull(apiKeys.lastUsedAtMs), lt(apiKeys.lastUsedAtMs, nowMs - 60_000))));
}
