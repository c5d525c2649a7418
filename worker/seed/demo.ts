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
] as const;

export const DEMO_SHOPPER = { id: "shp_demo", phone: "13800138000", merchantId: "mer_demo" } as const;

export interface SeedStatement {
  sql: string;
  params: (string | number)[];
}

/** Statements in dependency order; `hash` turns the demo password into the stored PBKDF2 form. */
export async function demoSeedStatements(
  hash: (password: string) => Promise<string>,
  nowMs: number,
): Promise<SeedStatement[]> {
  const out: SeedStatement[] = [
    {
      sql: "INSERT OR IGNORE INTO merchants (id, slug, name, theme_color, status, created_at_ms) VALUES (?, ?, ?, ?, 'active', ?)",
      params: ["mer_demo", "demo", "演示小店", "#e4393c", nowMs],
    },
    {
      sql: `INSERT OR IGNORE INTO suppliers (id, name, contact_name, contact_phone, status, created_at_ms, reviewed_at_ms)
            VALUES (?, ?, ?, ?, 'approved', ?, ?)`,
      params: ["sup_demo_fresh", "鲜果源供应链", "王鲜", "13900001111", nowMs, nowMs],
    },
    {
      sql: `INSERT OR IGNORE INTO suppliers (id, name, contact_name, contact_phone, status, created_at_ms, reviewed_at_ms)
            VALUES (?, ?, ?, ?, 'approved', ?, ?)`,
      params: ["sup_demo_home", "家居优选工厂", "李家", "13900002222", nowMs, nowMs],
    },
  ];
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
  const literal = (v: string | number) => (typeof v === "number" ? String(v) : `'${v.replaceAll("'", "''")}'`);
  return statements
    .map(({ sql, params }) => {
      let i = 0;
      return `${sql.replace(/\?/g, () => literal(params[i++] ?? ""))};`;
    })
    .join("\n");
}
