/** Vite (tests, Astro build) inlines `?raw` imports as strings; the example CSV ships inside the Worker this way. */
declare module "*.csv?raw" {
  const text: string;
  export default text;
}
