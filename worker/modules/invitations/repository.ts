/**
 * @module invitations/repository: staff invitations, found by token hash or within their organisation.
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import { database } from "../../db/client";
import { invitations } from "../../db/schema";
import { outboxInsertWhen } from "../../events/outbox";
import type { DomainEvent } from "../../events/types";
import type { OrgRef, UserRow } from "../orgs/repository";

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

/**
 * Accepting is one D1 batch: mark the invitation accepted only while it is still open, then create the account
 * (if new), the membership and the event only if that mark is ours. A revoke that wins the race leaves nothing.
 */
export function acceptanceStatements(
  d1: D1Database,
  invitation: InvitationRow,
  accept: { userId: string; newUser: UserRow | undefined; event: DomainEvent; nowMs: number },
): D1PreparedStatement[] {
  const mark = database(d1)
    .update(invitations)
    .set({ acceptedAtMs: accept.nowMs })
    .where(and(eq(invitations.id, invitation.id), isNull(invitations.acceptedAtMs), isNull(invitations.revokedAtMs)))
    .toSQL();
  const gate = "SELECT 1 FROM invitations WHERE id = ? AND accepted_at_ms = ? AND revoked_at_ms IS NULL";
  const statements = [d1.prepare(mark.sql).bind(...mark.params)];
  const { newUser } = accept;
  if (newUser) {
    statements.push(
      d1
        .prepare(
          `INSERT INTO users (id, email, name, password_hash, created_at_ms) SELECT ?, ?, ?, ?, ? WHERE EXISTS (${gate})`,
        )
        .bind(
          newUser.id,
          newUser.email,
          newUser.name,
          newUser.passwordHash,
          newUser.createdAtMs,
          invitation.id,
          accept.nowMs,
        ),
    );
  }
  statements.push(
    d1
      .prepare(
        `INSERT INTO memberships (user_id, org_type, org_id, role, created_at_ms) SELECT ?, ?, ?, ?, ? WHERE EXISTS (${gate})`,
      )
      .bind(
        accept.userId,
        invitation.orgType,
        invitation.orgId,
        invitation.role,
        accept.nowMs,
        invitation.id,
        accept.nowMs,
      ),
    outboxInsertWhen(d1, accept.event, gate, invitation.id, accept.nowMs),
  );
  return statements;
}

export async function wasAcceptedAt(d1: D1Database, id: string, nowMs: number): Promise<boolean> {
  const [row] = await database(d1)
    .select({ id: invitations.id })
    .from(invitations)
    .where(and(eq(invitations.id, id), eq(invitations.acceptedAtMs, nowMs)))
    .limit(1);
  return row !== undefined;
}
