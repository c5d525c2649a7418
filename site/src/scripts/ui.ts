/**
 * @module ui: what page scripts share — translated messages embedded by the layout, problem texts, and a form
 * wrapper that disables the submit button and reports into the form's `aria-live` region.
 */
import type { ClientKey } from "../i18n";
import { interpolate } from "../i18n/interpolate";
import type { Problem } from "./api";

let cached: Partial<Record<ClientKey, string>> | undefined;

function messages(): Partial<Record<ClientKey, string>> {
  cached ??= JSON.parse(document.getElementById("client-messages")?.textContent ?? "{}") as Partial<
    Record<ClientKey, string>
  >;
  return cached;
}

function isClientKey(key: string): key is ClientKey {
  return key in messages();
}

/** A message from the `<script id="client-messages">` block the layouts render in the page's language. */
export function msg(key: ClientKey, params?: Record<string, string | number>): string {
  return interpolate(messages()[key] ?? key, params);
}

/** The translated text for a problem code when there is one, else the API's own `detail`. */
export function problemText(problem: Problem): string {
  if (problem.code === "network_error") return msg("client.networkError");
  const key = `problem.${problem.code}`;
  if (isClientKey(key)) return msg(key);
  return problem.detail || msg("client.genericError");
}

export function statusRegion(form: HTMLFormElement): HTMLElement {
  const region = form.querySelector<HTMLElement>("[data-status]");
  if (!region) throw new Error("The form needs an element with data-status (an aria-live region)");
  return region;
}

export function showStatus(form: HTMLFormElement, text: string, tone: "error" | "info" | "ok" = "error"): void {
  const region = statusRegion(form);
  region.textContent = text;
  region.dataset.tone = tone;
}

/** A text field's value; passwords pass `trim: false` since their spaces count. */
export function field(form: HTMLFormElement, name: string, { trim = true } = {}): string {
  const value = new FormData(form).get(name);
  if (typeof value !== "string") return "";
  return trim ? value.trim() : value;
}

/**
 * Runs `submit` on a valid submission with the submit button disabled; a returned problem is shown.
 * @example onSubmit(form, async () => { const r = await api(...); return r.ok ? undefined : r.problem; })
 */
export function onSubmit(form: HTMLFormElement, submit: () => Promise<Problem | undefined>): void {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    if (button?.disabled) return;
    if (button) button.disabled = true;
    form.setAttribute("aria-busy", "true");
    showStatus(form, "", "info");
    try {
      const problem = await submit();
      if (problem) showStatus(form, problemText(problem));
    } finally {
      if (button) button.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });
}
