/**
 * @module invitations/service: owners invite staff by email; the invitee accepts with a new or existing account.
 */
import { AppError } from "../../errors";
import { makeEvent } from "../../events/outbox";
import { hashPassword, newId, randomToken, sha256Hex, verifyPassword } from "../../lib/crypto";
import { messageSender } from "../../lib/messaging";
import { startStaffSession } from "../auth/service";
import { findMerchant, findSupplier, findUserByEmail, isMember, type OrgRef, type UserRow } from "../orgs/repository";
import {
  acceptanceStatements,
  findByTokenHash,
  type InvitationRow,
  insertInvitation,
  listInvitations,
  revokeInvitation,
  wasAcceptedAt,
} from "./repository";

export const INVITATION_TTL_MS = 7 * 24 * 3_600_000;

export interface InvitationView {
  id: string;
  email: string;
  role: "staff";
  status: "pending" | "accepted" | "revoked" | "expired";
  createdAtMs: number;
  expiresAtMs: number;
}

function statusOf(row: InvitationRow, nowMs: number): InvitationView["status"] {
  if (row.acceptedAtMs !== null) return "accepted";
  if (row.revokedAtMs !== null) return "revoked";
  return row.expiresAtMs <= nowMs ? "expired" : "pending";
}

function view(row: InvitationRow, nowMs = Date.now()): InvitationView {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    status: statusOf(row, nowMs),
    createdAtMs: row.createdAtMs,
    expiresAtMs: row.expiresAtMs,
  };
}

async function orgName(d1: D1Database, org: OrgRef): Promise<string> {
  const row = org.orgType === "merchant" ? await findMerchant(d1, org.orgId) : await findSupplier(d1, org.orgId);
  if (!row) throw new AppError("not_found", `${org.orgType} ${org.orgId} does not exist`);
  return row.name;
}

export async function inviteStaff(
  env: Env,
  org: OrgRef,
  invitedBy: string,
  email: string,
  consoleOrigin: string,
): Promise<InvitationView & { acceptUrl: string }> {
  const existing = await findUserByEmail(env.DB, email);
  if (existing && (await isMember(env.DB, org, existing.id)))
    throw new AppError("already_member", `${email} is already on the team`);
  const sender = messageSender(env);
  const name = await orgName(env.DB, org);
  const nowMs = Date.now();
  const token = randomToken(32);
  const row: InvitationRow = {
    id: newId("inv", nowMs),
    tokenHash: await sha256Hex(token),
    orgType: org.orgType,
    orgId: org.orgId,
    email,
    role: "staff",
    invitedBy,
    createdAtMs: nowMs,
    expiresAtMs: nowMs + INVITATION_TTL_MS,
    acceptedAtMs: null,
    revokedAtMs: null,
  };
  await insertInvitation(env.DB, row);
  const acceptUrl = `${consoleOrigin}/invite/${token}`;
  await sender.send({
    channel: "email",
    recipient: email,
    subject: `${name} 邀请你加入团队`,
    body: `你被邀请以员工身份加入「${name}」。7 天内打开链接接受邀请：${acceptUrl}`,
  });
  return { ...view(row, nowMs), acceptUrl };
}

export async function listStaffInvitations(d1: D1Database, org: OrgRef): Promise<InvitationView[]> {
  const nowMs = Date.now();
  return (await listInvitations(d1, org)).map((row) => view(row, nowMs));
}

export async function revokeStaffInvitation(d1: D1Database, org: OrgRef, id: string): Promise<InvitationView> {
  const [row] = await revokeInvitation(d1, org, id, Date.now());
  if (!row) throw new AppError("not_found", `No open invitation ${id} in this organisation`);
  return view(row);
}

async function openInvitation(d1: D1Database, token: string): Promise<InvitationRow> {
  const row = await findByTokenHash(d1, await sha256Hex(token));
  if (!row || statusOf(row, Date.now()) !== "pending") throw new AppError("invitation_invalid");
  return row;
}

export async function previewInvitation(d1: D1Database, token: string) {
  const row = await openInvitation(d1, token);
  return {
    orgType: row.orgType,
    orgName: await orgName(d1, row),
    email: row.email,
    role: row.role,
    expiresAtMs: row.expiresAtMs,
    accountExists: (await findUserByEmail(d1, row.email)) !== undefined,
  };
}

export async function acceptInvitation(env: Env, body: { token: string; name?: string | undefined; password: string }) {
  const row = await openInvitation(env.DB, body.token);
  const org: OrgRef = { orgType: row.orgType, orgId: row.orgId };
  const nowMs = Date.now();
  let user: UserRow | undefined = await findUserByEmail(env.DB, row.email);
  let newUser: UserRow | undefined;
  if (user) {
    if (!(await verifyPassword(body.password, user.passwordHash))) throw new AppError("invalid_credentials");
    if (await isMember(env.DB, org, user.id)) throw new AppError("already_member");
  } else {
    if (!body.name) throw new AppError("validation_failed", "name is required to create your account");
    if (body.password.length < 10) throw new AppError("validation_failed", "password: use at least 10 characters");
    newUser = {
      id: newId("usr", nowMs),
      email: row.email,
      name: body.name,
      passwordHash: await hashPassword(body.password),
      createdAtMs: nowMs,
    };
    user = newUser;
  }
  const event = makeEvent("staff.joined", { ...org, userId: user.id, email: user.email }, nowMs);
  try {
    await env.DB.batch(acceptanceStatements(env.DB, row, { userId: user.id, newUser, event, nowMs }));
  } catch (error) {
    if (String(error).includes("UNIQUE")) throw new AppError("invitation_invalid", "This invitation was just used");
    throw error;
  }
  if (!(await wasAcceptedAt(env.DB, row.id, nowMs)))
    throw new AppError("invitation_invalid", "This invitation was withdrawn");
  return startStaffSession(env, user);
}
