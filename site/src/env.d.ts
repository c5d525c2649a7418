// Deliberately no `/// <reference types="astro/client" />`: it pulls in lib.dom, whose Web Crypto types break the
// Worker code (`crypto.subtle.timingSafeEqual`) when `tsc` checks worker/ and site/src as one program.

declare namespace App {
  /** Set by src/middleware.ts on every request before any page renders. */
  interface Locals {
    host: import("../../worker/middleware/host").Host;
    identity: import("../../worker/modules/auth/identity").Identity;
    lang: import("./i18n").Lang;
  }
}
