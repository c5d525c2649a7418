/**
 * Problem assertions for suites that are about something other than the problem format itself.
 * `expectProblem` in ../helpers.ts also demands the X-Request-Id header; test/api/errors.test.ts owns that check,
 * so one missing header is reported once there instead of by every suite.
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
  return body;
}
