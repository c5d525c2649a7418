/**
 * @module supplier-answers: the supplier's answers on its package page — 接单, 无法发货 (after a confirm step), 发货
 * with per-line quantities, and per parcel a tracking event and 已签收. Each submission carries an Idempotency-Key made
 * for it, kept only while that same submission is retried after no answer came back (the server may have acted), so
 * a retry cannot ship or refund twice. Refusals are put into words; a success reloads the page, which renders the
 * new state.
 */
import { formatFen } from "../../../worker/lib/money";
import type { ClientKey } from "../i18n";
import { type ApiResult, api, type Problem } from "./api";
import { field, msg, problemText, showStatus } from "./ui";

interface Held {
  key: string;
  fingerprint: string;
}

/** Keys of submissions whose outcome is unknown, per form. */
const held = new Map<string, Held>();
/** No answer arrived, or the first attempt is still running: the retry must carry the same key. */
const UNSETTLED = new Set(["network_error", "idempotency_in_progress"]);
const RELOAD_AFTER_MS = 600;

const INVALID: Record<string, ClientKey> = {
  accepted: "client.answers.invalid.accepted",
  rejected: "client.answers.invalid.rejected",
  shipped: "client.answers.invalid.shipped",
  delivered: "client.answers.invalid.delivered",
};

function newKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // randomUUID needs a secure context; a console opened over plain http on a LAN address still gets a random key.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * POSTs an answer with the key of this submission: the held key when the same form sends the same request again
 * after an unsettled attempt, a fresh one otherwise.
 */
async function send<T>(slot: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  const fingerprint = JSON.stringify([path, body ?? null]);
  const previous = held.get(slot);
  const key = previous?.fingerprint === fingerprint ? previous.key : newKey();
  held.set(slot, { key, fingerprint });
  const result = await api<T>(path, { method: "POST", body, headers: { "idempotency-key": key } });
  if (result.ok || !UNSETTLED.has(result.problem.code)) held.delete(slot);
  return result;
}

function skuOf(form: HTMLFormElement, lineId: unknown): string {
  const input = form.querySelector<HTMLInputElement>(`input[data-line-id="${CSS.escape(String(lineId))}"]`);
  return input?.dataset.sku ?? String(lineId);
}

/** The refusal in the supplier's words, naming the line or field concerned when the problem says which. */
export function answerProblemText(problem: Problem, form: HTMLFormElement): string {
  const extensions = problem.extensions ?? {};
  switch (problem.code) {
    case "invalid_transition": {
      const key = INVALID[String(extensions.to)];
      return key ? msg(key) : problemText(problem);
    }
    case "shipment_exceeds_order": {
      const qty = extensions.remainingQuantity;
      if (extensions.lineId === undefined || typeof qty !== "number") return problemText(problem);
      return msg("client.answers.exceeds", { sku: skuOf(form, extensions.lineId), qty });
    }
    case "validation_failed": {
      const issues = problem.issues ?? [];
      if (issues.some((issue) => issue.path === "trackingNumber")) return msg("client.answers.trackingMismatch");
      if (issues.some((issue) => /^events\.\d+\.at$/.test(issue.path))) return msg("client.answers.eventFuture");
      const [first] = issues;
      return first ? msg("client.answers.invalidField", { path: first.path }) : problemText(problem);
    }
    case "not_found":
      return msg("client.answers.gone");
    case "idempotency_in_progress":
      return msg("client.answers.inProgress");
    default:
      return problemText(problem);
  }
}

/**
 * Runs `answer` on submit with the submit button disabled; it stays disabled once `answer` reports success, so the
 * few moments before the reload cannot send a second parcel.
 */
function handle(form: HTMLFormElement, answer: () => Promise<boolean>): void {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    if (button?.disabled) return;
    if (button) button.disabled = true;
    form.setAttribute("aria-busy", "true");
    let done = false;
    try {
      done = await answer();
    } finally {
      form.removeAttribute("aria-busy");
      if (button && !done) button.disabled = false;
    }
  });
}

function succeed(form: HTMLFormElement, text: string, then: () => void = () => window.location.reload()): true {
  showStatus(form, text, "ok");
  window.setTimeout(then, RELOAD_AFTER_MS);
  return true;
}

function fail(form: HTMLFormElement, problem: Problem): false {
  showStatus(form, answerProblemText(problem, form));
  return false;
}

function working(form: HTMLFormElement): void {
  showStatus(form, msg("client.answers.working"), "info");
}

function setUpAccept(form: HTMLFormElement, subOrderId: string): void {
  handle(form, async () => {
    working(form);
    const result = await send(form.id, `/api/supplier/sub-orders/${subOrderId}/accept`);
    return result.ok ? succeed(form, msg("client.answers.accepted")) : fail(form, result.problem);
  });
}

/** The parcel's lines, or the message that says what is wrong with a quantity. */
function parcelLines(form: HTMLFormElement): { lineId: string; quantity: number }[] | string {
  const lines: { lineId: string; quantity: number }[] = [];
  for (const input of form.querySelectorAll<HTMLInputElement>("input[data-line-id]")) {
    if (input.disabled) continue;
    const max = Number(input.dataset.max);
    const quantity = Number(input.value.trim() || "0");
    if (!Number.isInteger(quantity) || quantity < 0 || quantity > max) {
      return msg("client.answers.quantityFormat", { sku: input.dataset.sku ?? "", max });
    }
    if (quantity > 0) lines.push({ lineId: input.dataset.lineId ?? "", quantity });
  }
  return lines.length > 0 ? lines : msg("client.answers.nothingToShip");
}

function setUpShip(form: HTMLFormElement, subOrderId: string): void {
  handle(form, async () => {
    const lines = parcelLines(form);
    if (typeof lines === "string") {
      showStatus(form, lines);
      return false;
    }
    working(form);
    const body = { carrierCode: field(form, "carrierCode"), trackingNumber: field(form, "trackingNumber"), lines };
    const result = await send(form.id, `/api/supplier/sub-orders/${subOrderId}/shipments`, body);
    return result.ok ? succeed(form, msg("client.answers.shipped")) : fail(form, result.problem);
  });
}

interface RejectResult {
  outcome: "rerouted" | "refunded" | "refund_pending";
  refundFen: number | null;
}

function setUpReject(form: HTMLFormElement, subOrderId: string): void {
  const confirm = form.querySelector<HTMLElement>("[data-confirm]");
  const start = form.querySelector<HTMLButtonElement>("[data-start]");
  if (!confirm || !start) return;
  const ask = (open: boolean) => {
    confirm.hidden = !open;
    start.hidden = open;
    (open ? confirm.querySelector<HTMLButtonElement>("button[type=submit]") : start)?.focus();
  };
  start.addEventListener("click", () => ask(true));
  form.querySelector("[data-cancel]")?.addEventListener("click", () => ask(false));
  handle(form, async () => {
    if (confirm.hidden) {
      ask(true);
      return false;
    }
    working(form);
    const note = field(form, "note");
    const body = { reason: field(form, "reason"), ...(note ? { note } : {}) };
    const result = await send<RejectResult>(form.id, `/api/supplier/sub-orders/${subOrderId}/reject`, body);
    if (!result.ok) return fail(form, result.problem);
    const { outcome, refundFen } = result.data;
    if (outcome === "rerouted") {
      return succeed(form, msg("client.answers.rerouted"), () => window.location.assign("/supplier/orders"));
    }
    if (outcome === "refunded") {
      return succeed(form, msg("client.answers.refunded", { amount: formatFen(refundFen ?? 0) }));
    }
    return succeed(form, msg("client.answers.refundPending"));
  });
}

/** Now in the browser's time zone, as a datetime-local input wants it (minutes, no zone). */
function localNow(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function setUpTracking(form: HTMLFormElement, shipmentId: string): void {
  const at = form.querySelector<HTMLInputElement>("input[name=at]");
  if (at && !at.value) at.value = localNow();
  handle(form, async () => {
    // A datetime-local value has no zone: Date.parse reads it in the browser's, which is the supplier's.
    const atMs = Date.parse(field(form, "at"));
    if (Number.isNaN(atMs)) {
      showStatus(form, msg("client.answers.invalidField", { path: "at" }));
      return false;
    }
    working(form);
    const location = field(form, "location");
    const event = { at: new Date(atMs).toISOString(), description: field(form, "description") };
    const body = { events: [location ? { ...event, location } : event] };
    const result = await send<{ added: number }>(form.id, `/api/supplier/shipments/${shipmentId}/tracking`, body);
    if (!result.ok) return fail(form, result.problem);
    if (result.data.added === 0) {
      showStatus(form, msg("client.answers.trackedAgain"), "info");
      return false;
    }
    return succeed(form, msg("client.answers.tracked"));
  });
}

function setUpDelivered(form: HTMLFormElement, shipmentId: string): void {
  handle(form, async () => {
    working(form);
    const result = await send(form.id, `/api/supplier/shipments/${shipmentId}/delivered`);
    return result.ok ? succeed(form, msg("client.answers.delivered")) : fail(form, result.problem);
  });
}

/** Wires every `form[data-answer]` under `root` (which carries `data-sub-order-id`). */
export function setUpAnswers(root: HTMLElement): void {
  const subOrderId = root.dataset.subOrderId ?? "";
  for (const form of root.querySelectorAll<HTMLFormElement>("form[data-answer]")) {
    const shipmentId = form.dataset.shipmentId ?? "";
    switch (form.dataset.answer) {
      case "accept":
        setUpAccept(form, subOrderId);
        break;
      case "ship":
        setUpShip(form, subOrderId);
        break;
      case "reject":
        setUpReject(form, subOrderId);
        break;
      case "tracking":
        setUpTracking(form, shipmentId);
        break;
      case "delivered":
        setUpDelivered(form, shipmentId);
        break;
    }
  }
}
