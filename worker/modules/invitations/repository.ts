/**
 * @module invitations/repository: staff invitations, found by token hash or within their organisation.
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import { database } from "../../db/client";
import { invitations } from "../../db/schema";
import type { OrgRef } from "../orgs/repository";

export type InvitationRow = typeof invitations.$inferSelect;

export async function insertInvitation(d1: D1Database, row: InvitationRow): Promise<void> {
  await database(d1).insert(invitations).values(row);
}

export async function findByTokenHash(d1: D1Database, tokenHash: string): Promise<InvitationRow | undefined> {
  const [row] = await database(d1).select().from(invitations).where(eq(invitations.tokenHash, tokenHash)).limit(1);
  return row;
}

export async function listInvitations(d1: D1Database, org: OrgRef): Promise<InvitationRow[]> {
  return database(d1)
    .select()
    .from(invitations)
    .where(and(eq(invitations.orgType, org.orgType), eq(invitations.orgId, org.orgId)))
    .orderBy(desc(invitations.createdAtMs))
    .limit(200);
}

export async function revokeInvitation(d1: D1Database, org: OrgRef, id: string, nowMs: number) {
  return database(d1)
    .update(invitations)
    .set({ revokedAtMs: nowMs })
    .where(
      and(
        eq(invitations.id, id),
        eq(invitations.orgType, org.orgType),
        eq(invitations.orgId, org.orgId),
        isNull(invitations.acceptedAtMs),
        isNull(invitations.revokedAtMs),
      ),
    )
    .returning();
}

/** Conditional on still being open, so one invitation admits one person even under a double click. */
export function markAcceptedStatement(d1: D1Database, id: string, nowMs: number) {
  return database(d1)
    .update(invitations)
    .set({ acceptedAtMs: nowMs })
    .where(and(eq(invitations.id, id), isNull(invitations.acceptedAtMs), isNull(invitations.revokedAtMs)));
}
