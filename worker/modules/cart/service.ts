/**
 * @module cart/service: a shopper's or guest's cart in one shop. Prices and stock are never stored as truth: every
 * read recomputes lines from the current listing, and the seen price only serves to tell the shopper it changed.
 */
import { AppError } from "../../errors";
import { newId } from "../../lib/crypto";
import { imageUrl } from "../media/urls";
import { parseOptions, stockState } from "../storefront/views";
import {
  acknowledgeStatement,
  addLineStatement,
  type CartOwner,
  cartExists,
  cartLines,
  deleteCartStatements,
  deleteLineStatement,
  ensureCartStatement,
  findSkuInShop,
  type LineRow,
  mergeLineStatement,
  rawLines,
  setQuantityStatement,
} from "./repository";
import { type AddLineInput, type CartLineView, type CartView, type LineFlag, MAX_LINES, MAX_QUANTITY } from "./schemas";

export type { CartOwner } from "./repository";

const LINE_IMAGE_WIDTH = 320;

function lineView(row: LineRow): CartLineView {
  const onSale = row.onSale === 1 && row.priceFen !== null;
  const flags: LineFlag[] = [];
  if (!onSale) flags.push("unavailable");
  else {
    if (row.priceFen !== row.seenPriceFen) flags.push("price_changed");
    if (row.quantity > (row.stock ?? 0)) flags.push("insufficient_stock");
  }
  const unitPriceFen = onSale ? row.priceFen : null;
  return {
    skuId: row.skuId,
    listingId: row.listingId,
    productId: row.productId ?? "",
    title: { zh: row.titleZh ?? "", en: row.titleEn },
    options: parseOptions(row.options),
    image: row.imageKey ? { url: imageUrl(row.imageKey, LINE_IMAGE_WIDTH), alt: row.imageAlt ?? "" } : null,
    quantity: row.quantity,
    unitPriceFen,
    seenPriceFen: row.seenPriceFen,
    lineTotalFen: unitPriceFen === null ? 0 : unitPriceFen * row.quantity,
    stock: onSale && row.stock !== null ? stockState(row.stock) : null,
    flags,
  };
}

/**
 * The cart as the shopper should see it now: current titles, prices and stock, flags, and a subtotal over the lines
 * still on sale. An owner without a cart has an empty one.
 * @example const cart = await viewCart(env.DB, { merchantId: shop.id, type: "shopper", id: shopper.shopperId })
 */
export async function viewCart(d1: D1Database, owner: CartOwner): Promise<CartView> {
  const lines = (await cartLines(d1, owner)).map(lineView);
  return {
    lines,
    subtotalFen: lines.reduce((sum, line) => sum + line.lineTotalFen, 0),
    itemCount: lines.reduce((sum, line) => sum + line.quantity, 0),
    needsAttention: lines.some((line) => line.flags.length > 0),
    maxLines: MAX_LINES,
    maxQuantity: MAX_QUANTITY,
  };
}

/** Adds units of a SKU this shop sells now, at its current price; the client never names a price. */
export async function addLine(d1: D1Database, owner: CartOwner, input: AddLineInput): Promise<CartView> {
  const sku = await findSkuInShop(d1, owner.merchantId, input.skuId);
  if (!sku) throw new AppError("sku_not_in_shop", `This shop does not sell ${input.skuId}`);
  if (sku.onSale !== 1) throw new AppError("listing_unavailable", `${input.skuId} is not on sale right now`);
  const nowMs = Date.now();
  const [, added] = await d1.batch([
    ensureCartStatement(d1, owner, newId("crt", nowMs), nowMs),
    addLineStatement(
      d1,
      owner,
      { skuId: input.skuId, listingId: sku.listingId, quantity: input.quantity, priceFen: sku.priceFen },
      { maxLines: MAX_LINES, maxQuantity: MAX_QUANTITY },
      nowMs,
    ),
  ]);
  if (added?.meta.changes !== 1) {
    const existing = (await rawLines(d1, owner)).find((line) => line.skuId === input.skuId);
    if (existing) {
      throw new AppError("quantity_limit", `At most ${MAX_QUANTITY} of one item; the cart has ${existing.quantity}`, {
        extensions: { max: MAX_QUANTITY, inCart: existing.quantity },
      });
    }
    throw new AppError("cart_full", `A cart holds at most ${MAX_LINES} different items`, {
      extensions: { max: MAX_LINES },
    });
  }
  return viewCart(d1, owner);
}

export async function setQuantity(
  d1: D1Database,
  owner: CartOwner,
  skuId: string,
  quantity: number,
): Promise<CartView> {
  const result = await setQuantityStatement(d1, owner, skuId, quantity).run();
  if (result.meta.changes !== 1) throw new AppError("not_found", `${skuId} is not in your cart`);
  return viewCart(d1, owner);
}

export async function removeLine(d1: D1Database, owner: CartOwner, skuId: string): Promise<CartView> {
  const result = await deleteLineStatement(d1, owner, skuId).run();
  if (result.meta.changes !== 1) throw new AppError("not_found", `${skuId} is not in your cart`);
  return viewCart(d1, owner);
}

/** The shopper accepts the prices shown now: `price_changed` goes away until a price moves again. */
export async function acknowledgePrices(d1: D1Database, owner: CartOwner): Promise<CartView> {
  await acknowledgeStatement(d1, owner).run();
  return viewCart(d1, owner);
}

/**
 * Moves a guest's lines into the signed-in shopper's cart of the same shop (quantities summed, capped at 99) and
 * deletes the guest cart, in one batch. Guest lines that would take the shopper's cart past 50 different items are
 * dropped. Idempotent: each insert only runs while the guest cart exists, and deleting it is the batch's last step.
 * @returns whether there was a guest cart to merge
 */
export async function mergeGuestCart(d1: D1Database, shopper: CartOwner, guestId: string): Promise<boolean> {
  const guest: CartOwner = { merchantId: shopper.merchantId, type: "guest", id: guestId };
  const [guestLines, ownLines] = await Promise.all([rawLines(d1, guest), rawLines(d1, shopper)]);
  if (!(await cartExists(d1, guest))) return false;
  const owned = new Set(ownLines.map((line) => line.skuId));
  let room = MAX_LINES - owned.size;
  const kept = guestLines.filter((line) => {
    if (owned.has(line.skuId)) return true;
    room -= 1;
    return room >= 0;
  });
  const nowMs = Date.now();
  await d1.batch([
    ensureCartStatement(d1, shopper, newId("crt", nowMs), nowMs),
    ...kept.map((line) => mergeLineStatement(d1, shopper, guestId, line, MAX_QUANTITY)),
    ...deleteCartStatements(d1, guest),
  ]);
  return true;
}
