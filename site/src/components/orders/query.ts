/**
 * @module orders/query: the filters an order list page was opened with, and links that keep them. Blank fields are
 * dropped, so submitting an empty form means "no filter" rather than a 400 from the strict query schemas.
 */

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
