import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../worker/lib/crypto";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, demoSeedStatements, toSqlScript } from "../../worker/seed/demo";
import { call } from "../helpers";

async function seed(): Promise<void> {
  const statements = await demoSeedStatements(hashPassword, Date.now());
  await env.DB.batch(statements.map(({ sql, params }) => env.DB.prepare(sql).bind(...params)));
}

describe("demo seed", () => {
  beforeAll(async () => {
    await seed();
    await seed();
  });

  it("loads once however often it runs", async () => {
    const users = await env.DB.prepare("SELECT COUNT(*) AS n FROM users WHERE email LIKE '%@demo.local'").first<{
      n: number;
    }>();
    expect(users?.n).toBe(DEMO_ACCOUNTS.length);
  });

  it.each(DEMO_ACCOUNTS.map((a) => [a.email, a.org[0], a.org[2]] as const))(
    "%s signs in with the documented password as %s %s",
    async (email, orgType, role) => {
      const res = await call("/api/auth/sign-in", { body: { email, password: DEMO_PASSWORD } });
      expect(res.status).toBe(200);
      const body = await res.json<{ memberships: { orgType: string; role: string }[] }>();
      expect(body.memberships).toContainEqual(expect.objectContaining({ orgType, role }));
    },
  );

  it("serves the demo shop on demo.localhost", async () => {
    const res = await call("/api/shop/auth/code", { host: "demo.localhost", body: { phone: "13800138000" } });
    expect(res.status).toBe(202);
  });

  it("writes a SQL script whose quoting survives apostrophes", () => {
    const script = toSqlScript([{ sql: "INSERT INTO t VALUES (?, ?)", params: ["O'Brien", 3] }]);
    expect(script).toBe("INSERT INTO t VALUES ('O''Brien', 3);");
  });
});
