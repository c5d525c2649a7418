export * from "./catalog";
export * from "./identity";
export * from "./platform";
export * from "./storefront";
