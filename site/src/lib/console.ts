/**
 * @module console: who may open which console on the root host, and where each console lives.
 */
import type { Identity, UserIdentity } from "../../../worker/modules/auth/identity";
import type { MembershipView, OrgType } from "../../../worker/modules/orgs/repository";

export const CONSOLE_PATHS: Record<OrgType, string> = {
  platform: "/platform",
  supplier: "/supplier",
  merchant: "/merchant",
};

export type ConsoleAccess =
  | { kind: "granted"; user: UserIdentity; membership: MembershipView }
  | { kind: "sign_in" }
  | { kind: "forbidden"; user: UserIdentity };

/** The first membership of `orgType` opens that console; other staff see a 403, everyone else signs in. */
export function consoleAccess(identity: Identity, orgType: OrgType): ConsoleAccess {
  if (identity.kind !== "user") return { kind: "sign_in" };
  const membership = identity.memberships.find((m) => m.orgType === orgType);
  return membership ? { kind: "granted", user: identity, membership } : { kind: "forbidden", user: identity };
}

/** Each organisation type the user belongs to once, in membership order, for links to their consoles. */
export function consolesOf(user: UserIdentity): OrgType[] {
  return [...new Set(user.memberships.map((m) => m.orgType))];
}

/** Where to go after signing in on the root host with `?next=`: only same-site console paths are followed. */
export function safeNextPath(value: string | null): string | undefined {
  return value && /^\/(platform|supplier|merchant)(\/|$)/.test(value) ? value : undefined;
}
