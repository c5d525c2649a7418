/**
 * @module order-actions: the buttons of 我的订单 and of an order's page. 去支付 starts (or resumes) the payment and
 * leaves for the rail's pay page; 取消订单 and 确认收货 ask first, then reload the page, which renders the new state.
 */
import { api, type Problem } from "./api";
import { msg, problemText } from "./ui";

const FLASH = "orders.flash";

export type Tone = "error" | "info" | "ok";

export function announce(region: HTMLElement | null, text: string, tone: Tone): void {
  if (!region) return;
  region.textContent = text;
  region.dataset.tone = tone;
}

/** Problems whose generic text would mislead here: the order changed under the shopper's feet. */
function orderProblemText(problem: Problem): string {
  if (problem.code === "order_not_payable") return msg("client.orders.notPayable");
  if (problem.code === "invalid_transition") return msg("client.orders.changed");
  return problemText(problem);
}

/**
 * Asks for the payment and goes to its pay page; the same open payment comes back however often this is called.
 * @returns the problem when the payment could not be started
 */
export async function goPay(orderId: string): Promise<Problem | undefined> {
  const result = await api<{ payUrl: string }>(`/api/shop/orders/${encodeURIComponent(orderId)}/pay`, {
    method: "POST",
  });
  if (!result.ok) return result.problem;
  window.location.assign(result.data.payUrl);
  return undefined;
}

const ENDPOINT = { cancel: "cancel", confirm: "confirm-receipt" } as const;

/** Handles every `button[data-order-action][data-order-id]` under `root`, reporting into `status` (aria-live). */
export function wireOrderActions(root: HTMLElement, status: HTMLElement | null): void {
  const flash = sessionStorage.getItem(FLASH);
  if (flash) {
    sessionStorage.removeItem(FLASH);
    announce(status, flash, "ok");
  }
  // Coming back from the pay page through the back button restores this page as it was left: buttons disabled.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    for (const button of root.querySelectorAll<HTMLButtonElement>("button[data-order-action]")) {
      button.disabled = false;
    }
  });
  root.addEventListener("click", async (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const button = target?.closest<HTMLButtonElement>("button[data-order-action]");
    const orderId = button?.dataset.orderId;
    const action = button?.dataset.orderAction;
    if (!button || !orderId || (action !== "pay" && action !== "cancel" && action !== "confirm")) return;
    if (action === "cancel" && !window.confirm(msg("client.orders.confirmCancel"))) return;
    if (action === "confirm" && !window.confirm(msg("client.orders.confirmReceipt"))) return;
    button.disabled = true;
    announce(status, msg(action === "pay" ? "client.orders.openingPay" : "client.orders.working"), "info");
    if (action === "pay") {
      const problem = await goPay(orderId);
      if (problem) {
        button.disabled = false;
        announce(status, orderProblemText(problem), "error");
      }
      return;
    }
    const result = await api(`/api/shop/orders/${encodeURIComponent(orderId)}/${ENDPOINT[action]}`, {
      method: "POST",
    });
    if (!result.ok) {
      button.disabled = false;
      announce(status, orderProblemText(result.problem), "error");
      return;
    }
    sessionStorage.setItem(FLASH, msg(action === "cancel" ? "client.orders.cancelled" : "client.orders.received"));
    window.location.reload();
  });
}
