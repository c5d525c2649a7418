/**
 * @module app: the Hono API under `/api` — middleware, one error handler, and a route module per domain.
 */
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { AppError, problemResponse } from "./errors";
import { relaySoon } from "./events/outbox";
import { router } from "./lib/openapi";
import { authenticate } from "./middleware/authenticate";
import { hostMiddleware } from "./middleware/host";
import { jsonBodyMiddleware } from "./middleware/json-body";
import { log, requestLog } from "./middleware/request-log";
import { addressRoutes } from "./modules/addresses/routes";
import { authRoutes } from "./modules/auth/routes";
import { cartRoutes } from "./modules/cart/routes";
import { productRoutes } from "./modules/catalog/routes";
import { skuRoutes } from "./modules/catalog/sku-routes";
import { categoryRoutes } from "./modules/categories/routes";
import { devRoutes } from "./modules/dev/routes";
import { dispatchRoutes } from "./modules/dispatch/routes";
import { renderDocsPage } from "./modules/docs/render";
import {
  fulfilmentRoutes,
  merchantFulfilmentRoutes,
  platformFulfilmentRoutes,
  shopFulfilmentRoutes,
} from "./modules/fulfilment/routes";
import { gradingRoutes } from "./modules/grading/routes";
import { healthRoutes } from "./modules/health/routes";
import { importRoutes } from "./modules/imports/routes";
import { listingRoutes } from "./modules/listings/routes";
import { imageRoutes, mediaRoutes } from "./modules/media/routes";
import { onboardingRoutes } from "./modules/onboarding/routes";
import { merchantOrderRoutes, platformOrderRoutes, supplierOrderRoutes } from "./modules/orders/console-routes";
import { shopOrderRoutes } from "./modules/orders/shop-routes";
import { merchantProfileRoutes, supplierProfileRoutes } from "./modules/orgs/profile-routes";
import { teamRoutes } from "./modules/orgs/team-routes";
import { paymentRoutes } from "./modules/payments/routes";
import { platformRoutes } from "./modules/platform/routes";
import { poolRoutes } from "./modules/pool/routes";
import { consoleRefundRoutes } from "./modules/refunds/merchant-routes";
import { shopRefundRoutes } from "./modules/refunds/shop-routes";
import { supplierRefundRoutes } from "./modules/refunds/supplier-routes";
import { shippingRoutes } from "./modules/shipping/routes";
import { platformSettingsRoutes, shopSettingsRoutes } from "./modules/shop/routes";
import { shopperRoutes } from "./modules/shoppers/routes";

const OPENAPI_INFO = {
  openapi: "3.1.0",
  info: {
    title: "Edge Commerce API",
    version: "0.1.0",
    description:
      "S2B2C commerce: suppliers, merchant storefronts, shoppers. Consoles authenticate with the ec_session cookie " +
      "(send X-CSRF-Token on writes); integrations with `Authorization: Bearer sk_…` API keys.",
  },
};

export const app = router().basePath("/api");

app.use(requestId({ headerName: "X-Request-Id" }));
app.use(requestLog);
app.use(secureHeaders({ crossOriginResourcePolicy: "same-origin" }));
app.use(hostMiddleware);
app.use(async (c, next) => {
  if (c.get("host").kind === "unknown_shop") throw new AppError("shop_not_found");
  await next();
});
app.use(jsonBodyMiddleware);
app.use(authenticate);
app.use(async (c, next) => {
  await next();
  // Writes may have put events in the outbox; send them now rather than waiting for the cron.
  if (c.req.method !== "GET" && c.res.status < 400) relaySoon(c.env, c.executionCtx);
});

app.route("/", healthRoutes);
app.route("/auth", authRoutes);
app.route("/", onboardingRoutes);
app.route("/shop", shopperRoutes);
app.route("/shop", addressRoutes);
app.route("/shop", cartRoutes);
app.route("/shop", shopOrderRoutes);
app.route("/", paymentRoutes);
app.route("/shop", shopRefundRoutes);
app.route("/", consoleRefundRoutes);
app.route("/", supplierRefundRoutes);
app.route("/merchant", merchantProfileRoutes);
app.route("/merchant", teamRoutes("merchant"));
app.route("/supplier", supplierProfileRoutes);
app.route("/supplier", teamRoutes("supplier"));
app.route("/platform", platformRoutes);
app.route("/", categoryRoutes);
app.route("/supplier", productRoutes);
app.route("/supplier", skuRoutes);
app.route("/supplier", imageRoutes);
app.route("/media", mediaRoutes);
app.route("/merchant", poolRoutes);
app.route("/merchant", listingRoutes);
app.route("/merchant", shopSettingsRoutes);
app.route("/platform", platformSettingsRoutes);
app.route("/supplier", importRoutes);
app.route("/platform", gradingRoutes);
app.route("/supplier", shippingRoutes);
app.route("/supplier", dispatchRoutes);
app.route("/supplier", fulfilmentRoutes);
app.route("/merchant", merchantFulfilmentRoutes);
app.route("/shop", shopFulfilmentRoutes);
app.route("/platform", platformFulfilmentRoutes);
app.route("/merchant", merchantOrderRoutes);
app.route("/supplier", supplierOrderRoutes);
app.route("/platform", platformOrderRoutes);
app.route("/dev", devRoutes);

app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", { type: "http", scheme: "bearer" });
app.openAPIRegistry.registerComponent("securitySchemes", "session", {
  type: "apiKey",
  in: "cookie",
  name: "ec_session",
});
app.doc31("/openapi.json", OPENAPI_INFO);
app.get("/docs", (c) => c.html(renderDocsPage(app.getOpenAPI31Document(OPENAPI_INFO))));

app.notFound((c) =>
  problemResponse(c, new AppError("route_not_found", `${c.req.method} ${c.req.path} is not an API route`)),
);

app.onError((error, c) => {
  if (error instanceof AppError) {
    if (error.status >= 500)
      log("error", "request failed", { requestId: c.get("requestId"), code: error.code, detail: error.message });
    return problemResponse(c, error);
  }
  if (error instanceof HTTPException) {
    const code =
      error.status === 413 ? "payload_too_large" : error.status === 405 ? "method_not_allowed" : "validation_failed";
    return problemResponse(c, new AppError(code, error.message));
  }
  log("error", "unhandled error", {
    requestId: c.get("requestId"),
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    stack: error instanceof Error ? error.stack : undefined,
  });
  return problemResponse(c, new AppError("internal_error"));
});

export type App = typeof app;
