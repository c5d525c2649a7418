/**
 * @module onboarding/service: a merchant opens a shop; a supplier applies. Each is one D1 batch with its event.
 */
import { runBatch } from "../../db/client";
import { AppError } from "../../errors";
import { makeEvent, outboxInsert } from "../../events/outbox";
import { hashPassword, newId } from "../../lib/crypto";
import { clientAddress, enforceRateLimit, RULES } from "../../lib/rate-limit";
import { startStaffSession } from "../auth/service";
import type { NewSession } from "../auth/sessions";
import {
  findShopBySlug,
  findUserByEmail,
  insertMembershipStatement,
  insertMerchantStatement,
  insertSupplierStatement,
  insertUserStatement,
  type UserRow,
} from "../orgs/repository";
import { checkSlugRules } from "../orgs/slug";
import type { MerchantSignUpBody, Onboarded, SupplierApplyBody } from "./schemas";

export function shopUrl(env: Env, request: Request, slug: string): string {
  const url = new URL(request.url);
  return `${url.protocol}//${slug}.${env.ROOT_DOMAIN}${url.port ? `:${url.port}` : ""}/`;
}

export async function slugAvailability(env: Env, slug: string) {
  const rules = checkSlugRules(slug);
  if (!rules.ok) return { available: false, reason: rules.reason };
  if (await findShopBySlug(env.DB, slug)) return { available: false, reason: "taken" as const };
  return { available: true, reason: null };
}

/** Unique indexes are the final word when two sign-ups race for one email or slug. */
function conflictFrom(error: unknown): AppError | undefined {
  const text = String(error);
  if (!text.includes("UNIQUE")) return undefined;
  if (text.includes("merchants.slug")) return new AppError("slug_taken");
  if (text.includes("users.email")) return new AppError("email_taken");
  return new AppError("conflict");
}

async function newUser(env: Env, name: string, email: string, password: string, nowMs: number): Promise<UserRow> {
  if (await findUserByEmail(env.DB, email)) {
    throw new AppError("email_taken", "This email already has an account; sign in instead");
  }
  return { id: newId("usr", nowMs), email, name, passwordHash: await hashPassword(password), createdAtMs: nowMs };
}

export async function signUpMerchant(
  env: Env,
  request: Request,
  body: MerchantSignUpBody,
): Promise<{ session: NewSession; view: Onboarded }> {
  await enforceRateLimit(env, `signup:ip:${clientAddress(request)}`, RULES.signUpPerIp);
  const availability = await slugAvailability(env, body.slug);
  if (!availability.available) {
    throw availability.reason === "taken"
      ? new AppError("slug_taken", `"${body.slug}" is already a shop address`)
      : new AppError("validation_failed", `"${body.slug}" cannot be a shop address (${availability.reason})`, {
          extensions: {
            issues: [{ path: "slug", message: `slug ${availability.reason}`, code: `slug_${availability.reason}` }],
          },
        });
  }
  const nowMs = Date.now();
  const user = await newUser(env, body.ownerName, body.email, body.password, nowMs);
  const merchantId = newId("mer", nowMs);
  try {
    await runBatch(env.DB, [
      insertUserStatement(env.DB, user),
      insertMerchantStatement(env.DB, { id: merchantId, slug: body.slug, name: body.shopName, createdAtMs: nowMs }),
      insertMembershipStatement(env.DB, {
        userId: user.id,
        orgType: "merchant",
        orgId: merchantId,
        role: "owner",
        createdAtMs: nowMs,
      }),
      outboxInsert(
        env.DB,
        makeEvent("merchant.registered", { merchantId, slug: body.slug, name: body.shopName }, nowMs),
      ),
    ]);
  } catch (error) {
    throw conflictFrom(error) ?? error;
  }
  const { session, view } = await startStaffSession(env, user);
  return {
    session,
    view: { ...view, org: { orgType: "merchant", orgId: merchantId, status: "active", slug: body.slug } },
  };
}

export async function applyAsSupplier(
  env: Env,
  request: Request,
  body: SupplierApplyBody,
): Promise<{ session: NewSession; view: Onboarded }> {
  await enforceRateLimit(env, `signup:ip:${clientAddress(request)}`, RULES.signUpPerIp);
  const nowMs = Date.now();
  const user = await newUser(env, body.contactName, body.email, body.password, nowMs);
  const supplierId = newId("sup", nowMs);
  try {
    await runBatch(env.DB, [
      insertUserStatement(env.DB, user),
      insertSupplierStatement(env.DB, {
        id: supplierId,
        name: body.companyName,
        contactName: body.contactName,
        contactPhone: body.contactPhone,
        createdAtMs: nowMs,
      }),
      insertMembershipStatement(env.DB, {
        userId: user.id,
        orgType: "supplier",
        orgId: supplierId,
        role: "owner",
        createdAtMs: nowMs,
      }),
      outboxInsert(env.DB, makeEvent("supplier.applied", { supplierId, name: body.companyName }, nowMs)),
    ]);
  } catch (error) {
    throw conflictFrom(error) ?? error;
  }
  const { session, view } = await startStaffSession(env, user);
  return { session, view: { ...view, org: { orgType: "supplier", orgId: supplierId, status: "pending", slug: null } } };
}
