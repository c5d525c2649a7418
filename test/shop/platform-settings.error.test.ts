import { beforeAll, describe, it } from "vitest";
import { call, platformAdmin, type Session } from "../helpers";
import { expectCode } from "../support/problems";

let admin: Session;

beforeAll(async () => {
  admin = await platformAdmin();
});

describe("platform settings that are refused with 400", () => {
  it.each([
    ["a margin above 90 %", { defaultMinMarginBps: 9001 }],
    ["a negative margin", { defaultMinMarginBps: -5 }],
    ["a margin as text", { defaultMinMarginBps: "1000" }],
    ["no margin", {}],
    ["an unknown field", { defaultMinMarginBps: 1000, currency: "CNY" }],
  ])("%s", async (_name, body) => {
    await expectCode(
      await call("/api/platform/settings", { method: "PUT", session: admin, body }),
      400,
      "validation_failed",
    );
  });
});
