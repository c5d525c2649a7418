import { beforeAll, describe, expect, it } from "vitest";
import { errorCodes } from "../../worker/errors";
import { PasswordSchema } from "../../worker/modules/auth/schemas";
import { MerchantSignUpBody } from "../../worker/modules/onboarding/schemas";
import { call } from "../helpers";

interface JsonSchema {
  $ref?: string;
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  minLength?: number;
  maxLength?: number;
}

interface Operation {
  summary?: string;
  requestBody?: { required?: boolean; content?: Record<string, { schema: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
}

interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes?: Record<string, { type: string }> };
}

const EXPECTED_PATHS = [
  ["post", "/api/auth/sign-in"],
  ["get", "/api/auth/session"],
  ["post", "/api/onboarding/merchants"],
  ["post", "/api/onboarding/suppliers"],
  ["post", "/api/shop/auth/code"],
  ["post", "/api/shop/auth/verify"],
  ["patch", "/api/merchant/profile"],
  ["post", "/api/merchant/api-keys"],
  ["delete", "/api/merchant/api-keys/{id}"],
  ["get", "/api/supplier/notifications"],
  ["post", "/api/platform/suppliers/{id}/{decision}"],
  ["post", "/api/platform/dead-letters/{eventId}/redrive"],
] as const;

let doc: OpenApiDoc;

function resolve(schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace("#/components/schemas/", "");
  const target = doc.components.schemas[name];
  if (!target) throw new Error(`dangling $ref ${schema.$ref}`);
  return resolve(target);
}

function requestSchema(method: string, path: string): JsonSchema {
  const schema = doc.paths[path]?.[method]?.requestBody?.content?.["application/json"]?.schema;
  if (!schema) throw new Error(`${method} ${path} documents no JSON body`);
  return resolve(schema);
}

beforeAll(async () => {
  const res = await call("/api/openapi.json");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("application/json");
  doc = await res.json<OpenApiDoc>();
});

describe("GET /api/openapi.json", () => {
  it("is an OpenAPI 3.1 document with a title and version", () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info.title.length).toBeGreaterThan(0);
    expect(doc.info.version.length).toBeGreaterThan(0);
  });

  it.each(EXPECTED_PATHS)("documents %s %s under the /api prefix", (method, path) => {
    expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
  });

  it("documents only real /api paths", () => {
    for (const path of Object.keys(doc.paths)) expect(path).toMatch(/^\/api\//);
  });

  it("the sign-up body lists exactly the fields the validator accepts", () => {
    const schema = requestSchema("post", "/api/onboarding/merchants");
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(Object.keys(MerchantSignUpBody.shape).sort());
    expect(schema.properties).toHaveProperty("slug");
    expect(schema.required?.sort()).toEqual(Object.keys(MerchantSignUpBody.shape).sort());
  });

  it("the sign-up body forbids unknown fields, as the validator does", () => {
    const schema = requestSchema("post", "/api/onboarding/merchants");
    expect(schema.additionalProperties).toBe(false);
    const valid = {
      shopName: "茶馆",
      slug: "tea-house",
      ownerName: "店主",
      email: "a@example.com",
      password: "x".repeat(12),
    };
    expect(MerchantSignUpBody.safeParse(valid).success).toBe(true);
    expect(MerchantSignUpBody.safeParse({ ...valid, role: "admin" }).success).toBe(false);
  });

  it("the documented password minimum is the one the validator enforces", () => {
    const min = requestSchema("post", "/api/onboarding/merchants").properties?.password?.minLength;
    expect(min).toBeGreaterThan(0);
    const length = min ?? 0;
    expect(PasswordSchema.safeParse("p".repeat(length)).success).toBe(true);
    expect(PasswordSchema.safeParse("p".repeat(length - 1)).success).toBe(false);
  });

  it("every operation with a JSON body documents a validation problem as application/problem+json", () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!op.requestBody) continue;
        const bad = op.responses?.["400"]?.content?.["application/problem+json"]?.schema;
        expect(bad, `${method} ${path}`).toBeDefined();
        expect(resolve(bad ?? {}).properties).toHaveProperty("code");
      }
    }
  });

  it("declares both ways to authenticate: bearer API keys and the session cookie", () => {
    expect(doc.components.securitySchemes?.apiKey?.type).toBe("http");
    expect(doc.components.securitySchemes?.session?.type).toBe("apiKey");
  });
});

describe("GET /api/docs", () => {
  it("is an HTML page listing the documented paths and every problem code", async () => {
    const res = await call("/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/i);
    for (const [, path] of EXPECTED_PATHS) expect(html).toContain(`<code>${path}</code>`);
    for (const code of errorCodes) expect(html).toContain(`<code>${code}</code>`);
    expect(html).toContain('href="/api/openapi.json"');
  });

  it("shows every documented operation once", async () => {
    const html = await (await call("/api/docs")).text();
    const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    expect(html.match(/<details class="op"/g)?.length).toBe(operations);
  });
});
