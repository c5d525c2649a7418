/**
 * @module api: the browser's one way to call `/api` on the same host — JSON in and out (or a raw file in, for the
 * upload routes), the CSRF header from the `ec_csrf` cookie, and problem+json errors returned as values instead of
 * thrown.
 */

export const CSRF_COOKIE = "ec_csrf";

export interface ProblemIssue {
  path: string;
  message: string;
  code: string;
}

/** RFC 9457 problem details as the API sends them; `network_error` when no response arrived at all. */
export interface Problem {
  status: number;
  title: string;
  detail: string;
  code: string;
  issues?: ProblemIssue[];
  /** Members beyond the standard ones (`skuId`, `available`, `totalFen`, …), for messages that name them. */
  extensions?: Record<string, unknown>;
}

const STANDARD_MEMBERS = new Set(["type", "title", "status", "detail", "code", "requestId", "issues", "instance"]);

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; problem: Problem };

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function problemFrom(payload: unknown, response: Response): Problem {
  const body = isRecord(payload) ? payload : {};
  const text = (key: string, fallback: string) => (typeof body[key] === "string" ? String(body[key]) : fallback);
  return {
    status: response.status,
    title: text("title", response.statusText),
    detail: text("detail", ""),
    code: text("code", "unknown"),
    issues: Array.isArray(body.issues) ? (body.issues as ProblemIssue[]) : undefined,
    extensions: Object.fromEntries(Object.entries(body).filter(([key]) => !STANDARD_MEMBERS.has(key))),
  };
}

/**
 * Calls the API; the response body is trusted to match `T` (the API validates its own output).
 * @example const result = await api<{ sentTo: string }>("/api/shop/auth/code", { method: "POST", body: { phone } })
 */
export async function api<T>(
  path: string,
  options: {
    method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
    body?: unknown;
    /** A file sent as is with its own content type (image uploads) instead of a JSON `body`. */
    raw?: Blob;
    /** e.g. `Idempotency-Key` for a retryable write, `X-Org-Id` for someone in several organisations. */
    headers?: Record<string, string>;
  } = {},
): Promise<ApiResult<T>> {
  const headers = new Headers({ accept: "application/json, application/problem+json", ...options.headers });
  if (options.raw !== undefined) headers.set("content-type", options.raw.type);
  else if (options.body !== undefined) headers.set("content-type", "application/json");
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers.set("x-csrf-token", csrf);
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? "GET",
      headers,
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      credentials: "same-origin",
    });
  } catch {
    return {
      ok: false,
      status: 0,
      problem: { status: 0, title: "Network error", detail: "", code: "network_error" },
    };
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (response.ok) return { ok: true, status: response.status, data: payload as T };
  return { ok: false, status: response.status, problem: problemFrom(payload, response) };
}
