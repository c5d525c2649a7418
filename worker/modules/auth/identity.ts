/**
 * @module auth/identity: who is calling, and the guards routes use to demand a kind of caller.
 */
import type { Context } from "hono";
import { AppError } from "../../errors";
import type { AppEnv } from "../../types";
import type { MembershipView, OrgType, Role, StaffOrgType } from "../orgs/repository";

export interface SessionRef {
  tokenHash: string;
  csrfToken: string;
  expiresAtMs: number;
}

export type Identity =
  | { kind: "anonymous"; sessionExpired: boolean }
  | { kind: "user"; userId: string; email: string; name: string; memberships: MembershipView[]; session: SessionRef }
  | { kind: "api_key"; keyId: string; orgType: StaffOrgType; orgId: string }
  | { kind: "shopper"; shopperId: string; phone: string; merchantId: string; session: SessionRef };

export type UserIdentity = Extract<Identity, { kind: "user" }>;
export type ShopperIdentity = Extract<Identity, { kind: "shopper" }>;

/** The caller acting for one organisation: a member in a role, or an integration through an API key. */
export interface OrgActor {
  orgType: StaffOrgType;
  orgId: string;
  role: Role | "api";
  actorId: string;
  orgStatus: string;
}

function unauthenticated(identity: Identity): AppError {
  return identity.kind === "anonymous" && identity.sessionExpired
    ? new AppError("session_expired", "Your session has ended; sign in again")
    : new AppError("unauthenticated");
}

export function requireUser(c: Context<AppEnv>): UserIdentity {
  const identity = c.get("identity");
  if (identity.kind === "user") return identity;
  if (identity.kind === "anonymous") throw unauthenticated(identity);
  throw new AppError("forbidden", "This route is for staff accounts");
}

export function requirePlatformAdmin(c: Context<AppEnv>): UserIdentity {
  const user = requireUser(c);
  if (!user.memberships.some((m) => m.orgType === "platform")) {
    throw new AppError("forbidden", "Platform administrators only");
  }
  return user;
}

/**
 * Resolves the organisation a console or integration request acts for.
 * @example const actor = requireOrg(c, "merchant", { roles: ["owner"] })
 */
export function requireOrg(
  c: Context<AppEnv>,
  orgType: StaffOrgType,
  options: { roles?: Role[]; allowApiKey?: boolean } = {},
): OrgActor {
  const identity = c.get("identity");
  if (identity.kind === "api_key") {
    if (!options.allowApiKey || identity.orgType !== orgType) {
      throw new AppError("forbidden", "This API key cannot use this route");
    }
    return { orgType, orgId: identity.orgId, role: "api", actorId: identity.keyId, orgStatus: "active" };
  }
  const user = requireUser(c);
  const candidates = user.memberships.filter((m) => m.orgType === orgType);
  const chosen = c.req.header("x-org-id");
  const membership = chosen ? candidates.find((m) => m.orgId === chosen) : candidates[0];
  if (!membership) throw new AppError("forbidden", `You are not a member of this ${orgType}`);
  if (!chosen && candidates.length > 1) throw new AppError("org_ambiguous");
  if (options.roles && !options.roles.includes(membership.role)) {
    throw new AppError("forbidden", `Requires role ${options.roles.join(" or ")}`);
  }
  return {
    orgType,
    orgId: membership.orgId,
    role: membership.role,
    actorId: user.userId,
    orgStatus: membership.orgStatus,
  };
}

/** A shopper signed in on this very shop; a session from another shop does not count. */
export function requireShopper(c: Context<AppEnv>, merchantId: string): ShopperIdentity {
  const identity = c.get("identity");
  if (identity.kind === "shopper" && identity.merchantId === merchantId) return identity;
  if (identity.kind === "anonymous") throw unauthenticated(identity);
  if (identity.kind === "shopper") throw new AppError("unauthenticated", "Sign in on this shop");
  throw new AppError("forbidden", "This route is for shoppers");
}

export function hasOrgType(identity: Identity, orgType: OrgType): boolean {
  return identity.kind === "user" && identity.memberships.some((m) => m.orgType === orgType);
}
