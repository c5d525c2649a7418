/**
 * Problem assertions for the auth, onboarding, invitation and shopper suites: everything a client reads from a
 * refusal except the X-Request-Id header.
 *
 * `expectProblem` in ../helpers also demands the X-Request-Id header; problem responses currently lack it, which
 * test/problems/request-id.error.test.ts pins on its own. Using this variant elsewhere keeps that one defect from
 * hiding every other assertion of these suites behind the same failure.
 */
import { expect } from "vitest";

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  issues?: { path: string; message: string; code: string }[];
  [extension: string]: unknown;
}

export async function problemOf(res: Response, status: number, code: string): Promise<ProblemBody> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = JSON.parse(text) as ProblemBody;
  expect(body.code, text).toBe(code);
  expect(body.status).toBe(status);
  expect(body.type).toBe(`https://docs.edge-commerce.dev/problems/${code}`);
  expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  return body;
}

/** The paths of a validation problem's issues. */
export function issuePaths(problem: ProblemBody): string[] {
  return (problem.issues ?? []).map((issue) => issue.path);
}
