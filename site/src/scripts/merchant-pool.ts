/**
 * @module merchant-pool: the merchant pool page's browser side — picking a product at the shop's own prices.
 */

import { formatFen, parseYuan } from "../../../worker/lib/money";
import { api, type Problem } from "./api";
import { msg, onSubmit, showStatus } from "./ui";

interface BelowFloorIssue {
  skuId?: string;
  floorFen?: number;
}

for (const form of document.querySelectorAll<HTMLFormElement>("form[data-pick]")) {
  onSubmit(form, async () => {
    const inputs = [...form.querySelectorAll<HTMLInputElement>("input[data-sku-id]")];
    const prices: { skuId: string; priceFen: number }[] = [];
    for (const input of inputs) {
      const priceFen = parseYuan(input.value);
      const floor = Number(input.dataset.floor);
      const label = input.dataset.label ?? "";
      input.setAttribute("aria-invalid", "false");
      if (priceFen === undefined) {
        input.setAttribute("aria-invalid", "true");
        input.focus();
        showStatus(form, msg("client.merchant.priceFormat", { sku: label }));
        return undefined;
      }
      if (priceFen < floor) {
        input.setAttribute("aria-invalid", "true");
        input.focus();
        showStatus(form, msg("client.merchant.belowFloor", { sku: label, floor: formatFen(floor) }));
        return undefined;
      }
      prices.push({ skuId: input.dataset.skuId ?? "", priceFen });
    }
    const result = await api<{ id: string }>("/api/merchant/listings", {
      method: "POST",
      body: { productId: form.dataset.productId, prices },
    });
    if (result.ok) {
      showStatus(form, msg("client.merchant.picked"), "ok");
      form.querySelector("button[type=submit]")?.remove();
      for (const input of inputs) input.disabled = true;
      return undefined;
    }
    return withFloors(form, result.problem);
  });
}

/** A guardrail refusal names each SKU's floor: mark those inputs and say the first floor. */
function withFloors(form: HTMLFormElement, problem: Problem): Problem | undefined {
  if (problem.code !== "price_below_guardrail") return problem;
  const issues = (problem.issues ?? []) as BelowFloorIssue[];
  let first: string | undefined;
  for (const issue of issues) {
    const input = form.querySelector<HTMLInputElement>(`input[data-sku-id="${CSS.escape(issue.skuId ?? "")}"]`);
    if (!input || issue.floorFen === undefined) continue;
    input.setAttribute("aria-invalid", "true");
    input.dataset.floor = String(issue.floorFen);
    first ??= msg("client.merchant.belowFloor", { sku: input.dataset.label ?? "", floor: formatFen(issue.floorFen) });
  }
  if (!first) return problem;
  showStatus(form, first);
  return undefined;
}
