/**
 * @module dispatch/delivery: one signed POST of a dispatch to its supplier's endpoint, and what the answer means.
 *
 * - 2xx: delivered; the sub-order becomes `dispatched`.
 * - 410 Gone: the supplier retired the endpoint — it is disabled and the dispatch waits in the pull API.
 * - 408, 429, 5xx, a network error or no answer within the timeout: retry later (honouring Retry-After).
 * - any other 4xx: the endpoint refuses this event; retrying would not help, so the dispatch fails now.
 * Every attempt is recorded with its status, latency and the start of the answer.
 */
import { newId } from "../../lib/crypto";
import { log } from "../../middleware/request-log";
import { moveSubOrder } from "../orders/service";
import { type DispatchRow, endpointOf, insertAttemptStatement } from "./repository";
import { webhookHeaders } from "./signature";

const EXCERPT_CHARS = 500;
const DEFAULT_TIMEOUT_MS = 10_000;

export type DeliveryOutcome =
  | { kind: "delivered"; statusCode: number }
  | { kind: "retry"; statusCode: number | null; retryAfterSeconds: number | null }
  | { kind: "failed"; statusCode: number }
  | { kind: "disabled"; statusCode: 410 }
  | { kind: "skipped"; reason: "not_pending" | "no_endpoint" };

function timeoutMs(env: Env): number {
  const ms = Number(env.DISPATCH_TIMEOUT_MS);
  return Number.isSafeInteger(ms) && ms > 0 ? ms : DEFAULT_TIMEOUT_MS;
}

/** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterSeconds(header: string | null, nowMs: number): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

function classify(status: number): "delivered" | "retry" | "failed" | "disabled" {
  if (status >= 200 && status < 300) return "delivered";
  if (status === 410) return "disabled";
  if (status === 408 || status === 429 || status >= 500) return "retry";
  return "failed";
}

/** The secrets that sign now: the current one, and the previous one while a rotation is under way. */
function signingSecrets(
  endpoint: { secret: string; previousSecret: string | null; previousSecretExpiresAtMs: number | null },
  nowMs: number,
): string[] {
  const previous =
    endpoint.previousSecret && (endpoint.previousSecretExpiresAtMs ?? 0) > nowMs ? [endpoint.previousSecret] : [];
  return [endpoint.secret, ...previous];
}

export async function deliverOnce(
  env: Env,
  dispatch: DispatchRow,
  trigger: "queue" | "manual",
  nowMs = Date.now(),
): Promise<DeliveryOutcome> {
  if (dispatch.status !== "pending" && !(trigger === "manual" && dispatch.status === "failed")) {
    return { kind: "skipped", reason: "not_pending" };
  }
  const endpoint = await endpointOf(env.DB, dispatch.supplierId);
  if (endpoint?.status !== "active") return { kind: "skipped", reason: "no_endpoint" };
  const headers = {
    "content-type": "application/json",
    "user-agent": "edge-commerce-dispatch/1",
    ...(await webhookHeaders(signingSecrets(endpoint, nowMs), dispatch.id, Math.floor(nowMs / 1000), dispatch.payload)),
  };
  const started = Date.now();
  let statusCode: number | null = null;
  let excerpt: string | null = null;
  let error: string | null = null;
  let retryAfter: number | null = null;
  try {
    const response = await fetch(endpoint.url, {
      method: "POST",
      headers,
      body: dispatch.payload,
      signal: AbortSignal.timeout(timeoutMs(env)),
      redirect: "manual",
    });
    statusCode = response.status;
    retryAfter = retryAfterSeconds(response.headers.get("retry-after"), nowMs);
    excerpt = (await response.text().catch(() => "")).slice(0, EXCERPT_CHARS);
  } catch (caught) {
    error = caught instanceof Error && caught.name === "TimeoutError" ? "timeout" : String(caught).slice(0, 200);
  }
  const latencyMs = Date.now() - started;
  const kind = statusCode === null ? "retry" : classify(statusCode);
  const attempt = dispatch.attempts + 1;
  const d1 = env.DB;
  // The supplier may pull and acknowledge the dispatch while this attempt is in flight: its answer stands.
  await d1.batch([
    insertAttemptStatement(d1, {
      id: newId("dat", nowMs),
      dispatchId: dispatch.id,
      attempt,
      trigger,
      atMs: nowMs,
      statusCode,
      latencyMs,
      outcome: kind,
      error,
      responseExcerpt: excerpt,
    }),
    d1
      .prepare(
        `UPDATE dispatches SET attempts = attempts + 1, last_status_code = ?2, last_error = ?3, updated_at_ms = ?4,
           status = CASE WHEN status = 'acknowledged' THEN status
             WHEN ?5 = 'delivered' THEN 'delivered' WHEN ?5 = 'failed' THEN 'failed' ELSE 'pending' END,
           delivered_at_ms = CASE ?5 WHEN 'delivered' THEN ?4 ELSE delivered_at_ms END,
           failed_at_ms = CASE WHEN status = 'acknowledged' THEN failed_at_ms WHEN ?5 = 'failed' THEN ?4 ELSE NULL END
         WHERE id = ?1`,
      )
      .bind(dispatch.id, statusCode, error, nowMs, kind),
    ...(kind === "disabled"
      ? [
          d1
            .prepare(
              `UPDATE supplier_endpoints SET status = 'disabled', disabled_reason = ?2, updated_at_ms = ?3
               WHERE supplier_id = ?1`,
            )
            .bind(dispatch.supplierId, "410 Gone: the endpoint asked to stop; dispatches wait in the pull API", nowMs),
        ]
      : []),
  ]);
  if (kind === "delivered" && statusCode !== null) {
    await markDispatched(env, dispatch, nowMs);
    return { kind, statusCode };
  }
  if (kind === "failed" && statusCode !== null) return { kind, statusCode };
  if (kind === "disabled") return { kind, statusCode: 410 };
  return { kind: "retry", statusCode, retryAfterSeconds: retryAfter };
}

/** The supplier has the order (by webhook or by pulling it): the sub-order leaves `paid`. */
export async function markDispatched(env: Env, dispatch: DispatchRow, nowMs: number): Promise<void> {
  try {
    await moveSubOrder(env.DB, dispatch.subOrderId, "dispatched", { type: "platform", id: null }, { nowMs });
  } catch (error) {
    // Already shipped or refunded meanwhile: the supplier's answer moved it further; nothing to undo.
    log("info", "sub-order not moved to dispatched", { subOrderId: dispatch.subOrderId, error: String(error) });
  }
}
