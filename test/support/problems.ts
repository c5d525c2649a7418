/**
 * The one problem+json assertion every suite uses: status, content type, stable code, type URI, and a requestId that
 * matches the X-Request-Id header.
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

export async function expectCode(res: Response, status: number, code: string): Promise<ProblemBody> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = JSON.parse(text) as ProblemBody;
  expect(body.code, text).toBe(code);
  expect(body.status).toBe(status);
  expect(body.type).toBe(`https://docs.edge-commerce.dev/problems/${code}`);
  expect(body.requestId).toBe(res.headers.get("x-request-id"));
  return body;
}

/** The paths of a validation problem's issues. */
export function issuePaths(problem: ProblemBody): string[] {
  return (problem.issues ?? []).map((issue) => issue.path);
}
