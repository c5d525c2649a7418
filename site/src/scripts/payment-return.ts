/**
 * @module payment-return: an order page opened by the rail's return link (`?from=pay`). The rail's notification may
 * not have arrived yet, so the page asks the rail itself through sync-payment a few times over a couple of seconds,
 * and reloads once the order has moved (the server then renders 支付成功).
 */
import { api } from "./api";
import { announce } from "./order-actions";
import { msg } from "./ui";

const POLLS = 6;
const POLL_GAP_MS = 500;

export async function syncAfterPaying(orderId: string, status: HTMLElement | null): Promise<void> {
  announce(status, msg("client.orders.checkingPayment"), "info");
  for (let i = 0; i < POLLS; i++) {
    const result = await api<{ status: string }>(`/api/shop/orders/${encodeURIComponent(orderId)}/sync-payment`, {
      method: "POST",
    });
    if (result.ok && result.data.status !== "pending_payment") {
      window.location.reload();
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_GAP_MS));
  }
  announce(status, msg("client.orders.paymentPending"), "info");
}
