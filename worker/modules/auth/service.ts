/**
 * @module auth/service: staff sign-in with email + password.
 */
import { AppError } from "../../errors";
import { verifyPassword, verifyPasswordDecoy } from "../../lib/crypto";
import { clientAddress, enforceRateLimit, RULES } from "../../lib/rate-limit";
import { findUserByEmail, membershipsOf, type UserRow } from "../orgs/repository";
import type { SignInBody, StaffSession } from "./schemas";
import { createSession, type NewSession, sessionTtlMs } from "./sessions";

export async function signIn(
  env: Env,
  request: Request,
  body: SignInBody,
): Promise<{ session: NewSession; view: StaffSession }> {
  await enforceRateLimit(env, `signin:ip:${clientAddress(request)}`, RULES.signInPerIp);
  await enforceRateLimit(env, `signin:email:${body.email}`, RULES.signInPerEmail);
  const user = await findUserByEmail(env.DB, body.email);
  const ok = user ? await verifyPassword(body.password, user.passwordHash) : await verifyPasswordDecoy(body.password);
  if (!user || !ok) throw new AppError("invalid_credentials");
  return startStaffSession(env, user);
}

export async function startStaffSession(env: Env, user: UserRow): Promise<{ session: NewSession; view: StaffSession }> {
  const session = await createSession(env.DB, { type: "user", id: user.id }, sessionTtlMs(env));
  const memberships = await membershipsOf(env.DB, user.id);
  return {
    session,
    view: {
      user: { id: user.id, email: user.email, name: user.name },
      memberships,
      csrfToken: session.csrfToken,
      expiresAtMs: session.expiresAtMs,
    },
  };
}
