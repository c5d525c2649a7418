/**
 * @module orgs/repository: merchants, suppliers, staff users and memberships. Every org query names its org.
 */
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { database } from "../../db/client";
import { memberships, merchants, shopSettings, suppliers, users } from "../../db/schema";

export type OrgType = "platform" | "supplier" | "merchant";
export type StaffOrgType = Exclude<OrgType, "platform">;
export type Role = "owner" | "staff" | "admin";
export interface OrgRef {
  orgType: StaffOrgType;
  orgId: string;
}

export interface ShopSummary {
  id: string;
  slug: string;
  name: string;
  themeColor: string;
  status: "active" | "suspended";
  /** The R2 key of the shop's logo, shown in every storefront page's header; null shows the name instead. */
  logoKey: string | null;
}

export type MerchantRow = typeof merchants.$inferSelect;
export type SupplierRow = typeof suppliers.$inferSelect;
export type UserRow = typeof users.$inferSelect;

/**
 * The shop a host names. The logo is joined in here rather than read by each page: every storefront request
 * resolves its shop once, and the header on every page needs it.
 */
export async function findShopBySlug(d1: D1Database, slug: string): Promise<ShopSummary | undefined> {
  const [row] = await database(d1)
    .select({
      id: merchants.id,
      slug: merchants.slug,
      name: merchants.name,
      themeColor: merchants.themeColor,
      status: merchants.status,
      logoKey: shopSettings.logoKey,
    })
    .from(merchants)
    .leftJoin(shopSettings, eq(shopSettings.merchantId, merchants.id))
    .where(eq(merchants.slug, slug))
    .limit(1);
  return row;
}

export async function findMerchant(d1: D1Database, merchantId: string): Promise<MerchantRow | undefined> {
  const [row] = await database(d1).select().from(merchants).where(eq(merchants.id, merchantId)).limit(1);
  return row;
}

export async function findSupplier(d1: D1Database, supplierId: string): Promise<SupplierRow | undefined> {
  const [row] = await database(d1).select().from(suppliers).where(eq(suppliers.id, supplierId)).limit(1);
  return row;
}

export async function listSuppliers(d1: D1Database, status?: SupplierRow["status"]): Promise<SupplierRow[]> {
  const q = database(d1).select().from(suppliers);
  return (status ? q.where(eq(suppliers.status, status)) : q).orderBy(desc(suppliers.createdAtMs)).limit(500);
}

export async function listMerchants(d1: D1Database): Promise<MerchantRow[]> {
  return database(d1).select().from(merchants).orderBy(desc(merchants.createdAtMs)).limit(500);
}

export async function updateMerchantProfile(
  d1: D1Database,
  merchantId: string,
  patch: Partial<Pick<MerchantRow, "name" | "themeColor">>,
): Promise<MerchantRow | undefined> {
  const [row] = await database(d1).update(merchants).set(patch).where(eq(merchants.id, merchantId)).returning();
  return row;
}

export async function updateSupplierProfile(
  d1: D1Database,
  supplierId: string,
  patch: Partial<Pick<SupplierRow, "name" | "contactName" | "contactPhone">>,
): Promise<SupplierRow | undefined> {
  const [row] = await database(d1).update(suppliers).set(patch).where(eq(suppliers.id, supplierId)).returning();
  return row;
}

export function setSupplierStatusStatement(
  d1: D1Database,
  supplierId: string,
  fromStatuses: SupplierRow["status"][],
  to: SupplierRow["status"],
  reason: string | null,
  nowMs: number,
) {
  return database(d1)
    .update(suppliers)
    .set({ status: to, statusReason: reason, reviewedAtMs: nowMs })
    .where(and(eq(suppliers.id, supplierId), inArray(suppliers.status, fromStatuses)))
    .returning();
}

export async function findUserByEmail(d1: D1Database, email: string): Promise<UserRow | undefined> {
  const [row] = await database(d1).select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return row;
}

export async function findUser(d1: D1Database, userId: string): Promise<UserRow | undefined> {
  const [row] = await database(d1).select().from(users).where(eq(users.id, userId)).limit(1);
  return row;
}

export interface MembershipView {
  orgType: OrgType;
  orgId: string;
  role: Role;
  orgName: string;
  orgStatus: string;
  orgSlug: string | null;
}

/** A user's memberships with the organisation's name and status, for the session and console headers. */
export async function membershipsOf(d1: D1Database, userId: string): Promise<MembershipView[]> {
  const { results } = await d1
    .prepare(
      `SELECT m.org_type AS orgType, m.org_id AS orgId, m.role AS role,
              COALESCE(me.name, s.name, '平台运营') AS orgName,
              COALESCE(me.status, s.status, 'active') AS orgStatus,
              me.slug AS orgSlug
         FROM memberships m
         LEFT JOIN merchants me ON m.org_type = 'merchant' AND me.id = m.org_id
         LEFT JOIN suppliers s ON m.org_type = 'supplier' AND s.id = m.org_id
        WHERE m.user_id = ?
        ORDER BY m.created_at_ms`,
    )
    .bind(userId)
    .all<MembershipView>();
  return results;
}

export interface StaffMember {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAtMs: number;
}

export async function staffOf(d1: D1Database, org: OrgRef): Promise<StaffMember[]> {
  return database(d1)
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      joinedAtMs: memberships.createdAtMs,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgType, org.orgType), eq(memberships.orgId, org.orgId)))
    .orderBy(asc(memberships.createdAtMs));
}

export async function isMember(d1: D1Database, org: OrgRef, userId: string): Promise<boolean> {
  const [row] = await database(d1)
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.orgType, org.orgType), eq(memberships.orgId, org.orgId), eq(memberships.userId, userId)))
    .limit(1);
  return row !== undefined;
}

export function insertUserStatement(d1: D1Database, user: typeof users.$inferInsert) {
  return database(d1)
    .insert(users)
    .values({ ...user, email: user.email.toLowerCase() });
}

export function insertMembershipStatement(d1: D1Database, row: typeof memberships.$inferInsert) {
  return database(d1).insert(memberships).values(row);
}

export function insertMerchantStatement(d1: D1Database, row: typeof merchants.$inferInsert) {
  return database(d1).insert(merchants).values(row);
}

export function insertSupplierStatement(d1: D1Database, row: typeof suppliers.$inferInsert) {
  return database(d1).insert(suppliers).values(row);
}
