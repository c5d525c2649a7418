/**
 * @module checkout: the checkout page's 提交订单. The order is placed with an Idempotency-Key made on page load and
 * kept until the server gives a definite answer, so a retry after a lost answer gets the same order back instead of
 * a second one; then the payment is started and the browser leaves for the rail's pay page. Every refusal is put
 * into words that name the item concerned.
 */
import { formatFen } from "../../../worker/lib/money";
import { api, type Problem } from "./api";
import { announce, goPay } from "./order-actions";
import { msg, problemText } from "./ui";

interface Item {
  skuId: string;
  quantity: number;
}

const RETRIES_IN_PROGRESS = 3;

function newIdempotencyKey(): string {
  // getRandomValues, unlike randomUUID, also exists on plain-http pages that are not a secure context.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `chk_${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function parseItems(json: string | undefined): Item[] | undefined {
  if (!json) return undefined;
  try {
    return JSON.parse(json) as Item[];
  } catch {
    return undefined;
  }
}

/** The lines on the page by SKU, so a problem naming a SKU can name the product. */
function titlesOnPage(): Map<string, string> {
  const titles = new Map<string, string>();
  for (const line of document.querySelectorAll<HTMLElement>("[data-line-sku]")) {
    titles.set(line.dataset.lineSku ?? "", line.dataset.title ?? "");
  }
  return titles;
}

function explain(problem: Problem, titles: Map<string, string>): string {
  const extensions = problem.extensions ?? {};
  const skuId = typeof extensions.skuId === "string" ? extensions.skuId : "";
  const title = titles.get(skuId) || msg("client.checkout.anItem");
  switch (problem.code) {
    case "insufficient_stock": {
      const available = Number(extensions.available);
      return Number.isInteger(available) && available > 0
        ? msg("client.checkout.insufficient", { title, available })
        : msg("client.checkout.soldOut", { title });
    }
    case "listing_unavailable":
    case "sku_not_in_shop":
      return msg("client.checkout.unavailable", { title });
    case "not_found":
      return msg("client.checkout.addressGone");
    case "idempotency_key_reused":
      return msg("client.checkout.alreadyPlaced");
    default:
      return problemText(problem);
  }
}

export function setUpCheckout(form: HTMLFormElement): void {
  const status = form.querySelector<HTMLElement>("[data-status]");
  const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
  const totalOut = form.querySelector<HTMLElement>("[data-total]");
  const addressId = form.dataset.addressId ?? "";
  const items = parseItems(form.dataset.items);
  const titles = titlesOnPage();
  let key = newIdempotencyKey();
  let expectedTotalFen = Number(form.dataset.totalFen);
  let orderId: string | undefined;

  async function place(): Promise<Problem | undefined> {
    const note = String(new FormData(form).get("note") ?? "").trim();
    const body = { addressId, ...(items ? { items } : {}), ...(note ? { note } : {}), expectedTotalFen };
    for (let attempt = 0; ; attempt++) {
      const result = await api<{ id: string }>("/api/shop/checkout", {
        method: "POST",
        body,
        headers: { "idempotency-key": key },
      });
      if (result.ok) {
        orderId = result.data.id;
        return undefined;
      }
      const { problem } = result;
      if (problem.code === "idempotency_in_progress" && attempt < RETRIES_IN_PROGRESS) {
        await sleep(1000);
        continue;
      }
      // A refusal is stored under its key and replayed, so the next attempt (a new total, another address) needs a
      // fresh key; when the outcome is unknown (no answer, a 5xx) the same key keeps a retry from buying twice.
      if (result.status >= 400 && result.status < 500 && problem.code !== "idempotency_in_progress") {
        key = newIdempotencyKey();
      }
      return problem;
    }
  }

  /** The shopper sees the new total and presses again to accept it; nothing is charged that they did not see. */
  function totalChanged(problem: Problem): void {
    const totalFen = Number(problem.extensions?.totalFen);
    if (!Number.isSafeInteger(totalFen)) {
      announce(status, problemText(problem), "error");
      return;
    }
    expectedTotalFen = totalFen;
    const total = formatFen(totalFen);
    if (totalOut) totalOut.textContent = total;
    if (button) button.textContent = msg("client.checkout.confirmTotal", { total });
    announce(status, msg("client.checkout.totalChanged", { total }), "error");
  }

  window.addEventListener("pageshow", (event) => {
    if (event.persisted && button) button.disabled = false;
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!button || button.disabled) return;
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    let leaving = false;
    try {
      if (!orderId) {
        announce(status, msg("client.checkout.placing"), "info");
        const problem = await place();
        if (problem?.code === "total_changed") return totalChanged(problem);
        if (problem) return announce(status, explain(problem, titles), "error");
      }
      if (!orderId) return;
      announce(status, msg("client.orders.openingPay"), "info");
      const problem = await goPay(orderId);
      leaving = problem === undefined;
      if (problem) announce(status, msg("client.checkout.payFailed", { reason: problemText(problem) }), "error");
    } finally {
      button.disabled = leaving;
      form.removeAttribute("aria-busy");
    }
  });
}
