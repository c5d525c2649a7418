/**
 * @module messaging: the seam for SMS and email. Locally messages land in the dev outbox (a page and the log);
 * production plugs a provider by `MESSAGE_PROVIDER` and never falls back to the outbox.
 */
import { database } from "../db/client";
import { devOutbox } from "../db/schema";
import { AppError } from "../errors";
import { log } from "../middleware/request-log";
import { newId } from "./crypto";

export interface OutgoingMessage {
  channel: "sms" | "email";
  recipient: string;
  subject: string;
  body: string;
}

export interface MessageSender {
  send(message: OutgoingMessage): Promise<void>;
}

export function isDevelopment(env: Env): boolean {
  return env.APP_ENV === "development";
}

class DevOutboxSender implements MessageSender {
  constructor(private readonly d1: D1Database) {}

  async send(message: OutgoingMessage): Promise<void> {
    await database(this.d1)
      .insert(devOutbox)
      .values({ id: newId("msg"), ...message, createdAtMs: Date.now() });
    log("info", "dev outbox message", { channel: message.channel, to: message.recipient, body: message.body });
  }
}

/** Picks the sender for this deployment; a production config that still names the dev outbox fails loudly. */
export function messageSender(env: Env): MessageSender {
  if (env.MESSAGE_PROVIDER === "dev-outbox") {
    if (!isDevelopment(env)) throw new AppError("unavailable", "No message provider is configured for this deployment");
    return new DevOutboxSender(env.DB);
  }
  throw new AppError("unavailable", `message provider "${env.MESSAGE_PROVIDER}" is not available`);
}
