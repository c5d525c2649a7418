/**
 * @module errors: the one error vocabulary of the API (RFC 9457 problem details with a stable `code`).
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";

const catalog = {
  validation_failed: [400, "Request did not pass validation"],
  malformed_json: [400, "Request body is not valid JSON"],
  import_file_invalid: [400, "The import file is not a CSV in the expected format"],
  idempotency_key_required: [400, "Idempotency-Key header is required"],
  idempotency_key_invalid: [400, "Idempotency-Key header is malformed"],
  signature_invalid: [401, "Signature is missing, wrong or too old"],
  org_ambiguous: [400, "Choose an organisation with the X-Org-Id header"],
  unauthenticated: [401, "Sign-in required"],
  session_expired: [401, "Session expired"],
  invalid_credentials: [401, "Email or password is wrong"],
  api_key_invalid: [401, "API key is unknown or revoked"],
  code_invalid: [401, "Verification code is wrong or expired"],
  forbidden: [403, "Not allowed"],
  csrf_failed: [403, "Missing or wrong CSRF token"],
  supplier_not_approved: [403, "Supplier is not approved yet"],
  dev_only: [403, "Available only in local development"],
  employee_code_required: [403, "This company shop needs an employee code for the first sign-in"],
  employee_code_invalid: [403, "Employee code is unknown or already used"],
  not_found: [404, "Not found"],
  sku_not_in_shop: [404, "This shop does not sell that SKU"],
  route_not_found: [404, "No such API route"],
  shop_not_found: [404, "No shop at this address"],
  method_not_allowed: [405, "Method not allowed"],
  conflict: [409, "Conflicts with the current state"],
  email_taken: [409, "Email is already registered"],
  slug_taken: [409, "Shop address is already taken"],
  already_member: [409, "Already a member of this organisation"],
  invalid_transition: [409, "Not possible in the current state"],
  listing_exists: [409, "This product is already listed in your shop"],
  idempotency_in_progress: [409, "A request with this Idempotency-Key is still being processed"],
  category_in_use: [409, "Category still has subcategories or products"],
  category_name_taken: [409, "A sibling category already has this name"],
  sku_code_taken: [409, "SKU code is already used by this supplier"],
  image_limit_reached: [409, "Product already has the maximum number of images"],
  address_book_full: [409, "The address book is full; delete an address first"],
  listing_unavailable: [409, "This product is not on sale right now"],
  cart_full: [409, "The cart holds the maximum number of different items"],
  insufficient_stock: [409, "Not enough stock left for this quantity"],
  total_changed: [409, "The total changed since you last saw it"],
  order_not_payable: [409, "This order can no longer be paid"],
  refund_not_allowed: [409, "This order cannot be refunded now"],
  refund_in_progress: [409, "A refund of this package is already being handled"],
  shipment_exists: [409, "This package already has a shipment with that tracking number"],
  invitation_invalid: [410, "Invitation is unknown, used, revoked or expired"],
  payload_too_large: [413, "Request body is too large"],
  unsupported_media_type: [415, "Content type not accepted here"],
  idempotency_key_reused: [422, "Idempotency-Key was already used with a different request"],
  unknown_category: [422, "Category does not exist"],
  category_too_deep: [422, "Categories have at most three levels"],
  category_not_leaf: [422, "Goods belong in a level-3 category"],
  sku_matrix_mismatch: [422, "SKUs do not cover the attribute matrix exactly once"],
  price_rule_violated: [422, "Prices break a pricing rule"],
  price_below_guardrail: [422, "A price is below the lowest price allowed"],
  quantity_limit: [422, "At most 99 of one item fit in the cart"],
  cart_empty: [422, "Nothing to check out"],
  refund_exceeds_order: [422, "The refund asks for more than was bought and not yet refunded"],
  shipment_exceeds_order: [422, "The shipment holds more than was bought, not refunded and not yet shipped"],
  rate_limited: [429, "Too many requests"],
  hold_limit_reached: [429, "Too many items held in unpaid orders; pay or cancel one first"],
  too_many_open_checkouts: [429, "Too many unpaid orders; pay or cancel one first"],
  internal_error: [500, "Something went wrong on our side"],
  payment_provider_failed: [502, "The payment provider did not answer as expected"],
  unavailable: [503, "A dependency is unavailable"],
} as const satisfies Record<string, readonly [ContentfulStatusCode, string]>;

export type ErrorCode = keyof typeof catalog;
export const errorCodes = Object.keys(catalog) as ErrorCode[];

export function statusOf(code: ErrorCode): ContentfulStatusCode {
  return catalog[code][0];
}

export interface ProblemIssue {
  path: string;
  message: string;
  code: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId: string;
  issues?: ProblemIssue[];
  [extension: string]: unknown;
}

/**
 * The one exception type services and middleware throw; `app.onError` turns it into a problem response.
 * @example throw new AppError("slug_taken", `"${slug}" is already used by another shop`)
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: ContentfulStatusCode;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    detail?: string,
    options: { extensions?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(detail ?? catalog[code][1]);
    this.name = "AppError";
    this.code = code;
    this.status = catalog[code][0];
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }
}

export function issuesFrom(error: z.ZodError): ProblemIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
    code: issue.code,
  }));
}

export function validationError(error: z.ZodError, where: string): AppError {
  const issues = issuesFrom(error);
  const first = issues[0];
  const detail = first ? `${where}: ${first.path || "(root)"} ${first.message}` : `${where} is invalid`;
  return new AppError("validation_failed", detail, { extensions: { issues } });
}

/** Extensions come first, so one named like a standard member (`status`, `code`) can never replace it. */
export function problemBody(error: AppError, requestId: string): Problem {
  return {
    ...error.extensions,
    type: `https://docs.edge-commerce.dev/problems/${error.code}`,
    title: catalog[error.code][1],
    status: error.status,
    detail: error.message,
    code: error.code,
    requestId,
  };
}

export function problemResponse(c: Context, error: AppError): Response {
  const requestId = c.get("requestId") ?? "unknown";
  return new Response(JSON.stringify(problemBody(error, requestId)), {
    status: error.status,
    headers: { "content-type": "application/problem+json", "x-request-id": requestId, ...error.headers },
  });
}
