/**
 * @module orders/query: the filters an order list page was opened with, and links that keep them. Blank fields are
 * dropped, so submitting an empty form means "no filter" rather than a 400 from the strict query schemas.
 */

import { AppError } from "../../../../worker/errors";

export type Filters = Record<string, string>;

/** The non-blank values of `keys` in the page's URL. */
export function filtersFrom(url: URL, keys: readonly string[]): Filters {
  const filters: Filters = {};
  for (const key of keys) {
    const value = url.searchParams.get(key)?.trim();
    if (value) filters[key] = value;
  }
  return filters;
}

/**
 * `path` with the filters as its query; `changes` set (or, when undefined, remove) single values.
 * @example listHref("/merchant/orders", { status: "paid", cursor: "x" }, { cursor: undefined }) // "/merchant/orders?status=paid"
 */
export function listHref(path: string, filters: Filters, changes: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filters, ...changes })) {
    if (value !== undefined && value !== "") params.set(key, value);
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** The option values of a line as shoppers picked them: `{颜色: 红色, 尺码: M}` → `红色 / M`. */
export function optionsText(options: Record<string, string>): string {
  return Object.values(options).join(" / ");
}

/**
 * One page of a console list: the loader's answer, or `empty` with `queryError` when the filters did not parse or the
 * service refused them (a day range that ends before it starts, a stale cursor) — said on the page, never a 500.
 */
export async function loadListPage<Q, P>(
  parsed: { success: true; data: Q } | { success: false },
  empty: P,
  /** Undefined when the caller may not see the list (the page shows its 403 instead). */
  load: ((query: Q) => Promise<P>) | undefined,
): Promise<{ page: P; queryError: boolean }> {
  if (!parsed.success) return { page: empty, queryError: true };
  if (!load) return { page: empty, queryError: false };
  try {
    return { page: await load(parsed.data), queryError: false };
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    return { page: empty, queryError: true };
  }
}
