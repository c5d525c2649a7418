/**
 * @module countdown: "剩余 14:59" beside anything payable until a deadline. An element with `data-countdown` (the
 * deadline in epoch ms) is rewritten every second; once the deadline passes it says so, and the buttons marked
 * `data-expires-with` inside its nearest `[data-countdown-scope]` are disabled.
 */
import { msg } from "./ui";

const running = new Set<HTMLElement>();
let timer: ReturnType<typeof setInterval> | undefined;

/** `14:59`, or `1:02:03` for windows of an hour or more. */
export function clockText(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

function render(element: HTMLElement, nowMs: number): boolean {
  const left = Number(element.dataset.countdown) - nowMs;
  if (left > 0) {
    element.textContent = msg("client.orders.remaining", { time: clockText(left) });
    return true;
  }
  element.textContent = msg("client.orders.expired");
  const scope = element.closest("[data-countdown-scope]") ?? element.parentElement;
  for (const button of scope?.querySelectorAll<HTMLButtonElement>("button[data-expires-with]") ?? []) {
    button.disabled = true;
  }
  return false;
}

function tick(): void {
  const now = Date.now();
  for (const element of running) if (!render(element, now)) running.delete(element);
  if (running.size === 0 && timer !== undefined) {
    clearInterval(timer);
    timer = undefined;
  }
}

/** Starts every countdown under `root` not already running (call again after adding elements to the page). */
export function startCountdowns(root: Document | HTMLElement = document): void {
  for (const element of root.querySelectorAll<HTMLElement>("[data-countdown]")) running.add(element);
  tick();
  if (running.size > 0 && timer === undefined) timer = setInterval(tick, 1000);
}
