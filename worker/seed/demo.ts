/**
 * @module seed/demo: the demo tenants `npm start` loads into local D1. Pure data and SQL, no imports, so the Node
 * seeding script and the tests both use it. Every statement is INSERT OR IGNORE with fixed ids: re-running is a no-op.
 */

export const DEMO_PASSWORD = "demo-password-2026";

export const DEMO_ACCOUNTS = [
  { id: "usr_demo_admin", email: "admin@demo.local", name: "平台管理员", org: ["platform", "platform", "admin"] },
  { id: "usr_demo_fresh", email: "fresh@demo.local", name: "王鲜", org: ["supplier", "sup_demo_fresh", "owner"] },
  { id: "usr_demo_home", email: "home@demo.local", name: "李家", org: ["supplier", "sup_demo_home", "owner"] },
  { id: "usr_demo_owner", email: "owner@demo.local", name: "陈店长", org: ["merchant", "mer_demo", "owner"] },
  { id: "usr_demo_staff", email: "staff@demo.local", name: "小周", org: ["merchant", "mer_demo", "staff"] },
  { id: "usr_demo_beauty", email: "beauty@demo.local", name: "林柔", org: ["supplier", "sup_demo_beauty", "owner"] },
  { id: "usr_demo_mama", email: "mama@demo.local", name: "赵萌", org: ["merchant", "mer_mama", "owner"] },
  { id: "usr_demo_welfare", email: "welfare@demo.local", name: "孙星河", org: ["merchant", "mer_welfare", "owner"] },
] as const;

/** Theme colours keep white or black text at a contrast of at least 4.5 (WCAG AA) on buttons and banners. */
export const DEMO_MERCHANTS = [
  { id: "mer_demo", slug: "demo", name: "演示小店", themeColor: "#e4393c" },
  { id: "mer_mama", slug: "mama", name: "萌宝母婴馆", themeColor: "#f08bb4" },
  { id: "mer_welfare", slug: "welfare", name: "星河科技员工福利店", themeColor: "#1f5fbf" },
] as const;

export const DEMO_SUPPLIERS = [
  { id: "sup_demo_fresh", name: "鲜果源供应链", contactName: "王鲜", contactPhone: "13900001111" },
  { id: "sup_demo_home", name: "家居优选工厂", contactName: "李家", contactPhone: "13900002222" },
  { id: "sup_demo_beauty", name: "柔肌日化", contactName: "林柔", contactPhone: "13900003333" },
] as const;

export const DEMO_SHOPPER = { id: "shp_demo", phone: "13800138000", merchantId: "mer_demo" } as const;

export interface SeedStatement {
  sql: string;
  params: (string | number | null)[];
}

/** Statements in dependency order; `hash` turns the demo password into the stored PBKDF2 form. */
export async function demoSeedStatements(
  hash: (password: string) => Promise<string>,
  nowMs: number,
): Promise<SeedStatement[]> {
  const out: SeedStatement[] = [];
  for (const m of DEMO_MERCHANTS) {
    out.push({
      sql: "INSERT OR IGNORE INTO merchants (id, slug, name, theme_color, status, created_at_ms) VALUES (?, ?, ?, ?, 'active', ?)",
      params: [m.id, m.slug, m.name, m.themeColor, nowMs],
    });
  }
  for (const s of DEMO_SUPPLIERS) {
    out.push({
      sql: `INSERT OR IGNORE INTO suppliers (id, name, contact_name, contact_phone, status, created_at_ms, reviewed_at_ms)
            VALUES (?, ?, ?, ?, 'approved', ?, ?)`,
      params: [s.id, s.name, s.contactName, s.contactPhone, nowMs, nowMs],
    });
  }
  for (const account of DEMO_ACCOUNTS) {
    out.push({
      sql: "INSERT OR IGNORE INTO users (id, email, name, password_hash, created_at_ms) VALUES (?, ?, ?, ?, ?)",
      params: [account.id, account.email, account.name, await hash(DEMO_PASSWORD), nowMs],
    });
    const [orgType, orgId, role] = account.org;
    out.push({
      sql: "INSERT OR IGNORE INTO memberships (user_id, org_type, org_id, role, created_at_ms) VALUES (?, ?, ?, ?, ?)",
      params: [account.id, orgType, orgId, role, nowMs],
    });
  }
  out.push(
    {
      sql: "INSERT OR IGNORE INTO shoppers (id, phone, created_at_ms) VALUES (?, ?, ?)",
      params: [DEMO_SHOPPER.id, DEMO_SHOPPER.phone, nowMs],
    },
    {
      sql: `INSERT OR IGNORE INTO shopper_memberships (merchant_id, shopper_id, joined_at_ms, last_seen_at_ms)
            VALUES (?, ?, ?, ?)`,
      params: [DEMO_SHOPPER.merchantId, DEMO_SHOPPER.id, nowMs, nowMs],
    },
  );
  return out;
}

/** Inlines parameters for `wrangler d1 execute --file`, which takes plain SQL. */
export function toSqlScript(statements: SeedStatement[]): string {
  const literal = (v: string | number | null) =>
    v === null ? "NULL" : typeof v === "number" ? String(v) : `'${v.replaceAll("'", "''")}'`;
  return statements
    .map(({ sql, params }) => {
      let i = 0;
      return `${sql.replace(/\?/g, () => {
        const value = params[i++];
        if (value === undefined) throw new Error(`missing parameter ${i} for: ${sql}`);
        return literal(value);
      })};`;
    })
    .join("\n");
}
