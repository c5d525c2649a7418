// A supplier's webhook endpoint for tests: a real HTTP peer in its own Worker (the main Worker's outbound fetches
// are routed here). The path picks the behaviour; every request is recorded so a test can read back exactly what
// arrived: GET /__received?key=<key>.
//   /ok            200              /fail          500, or 500 until the n-th call with ?until=n
//   /hang?ms=      answers late     /gone          410
//   /reject        400              /busy          429 with Retry-After: 120
const received = new Map();

function record(key, entry) {
  const list = received.get(key) ?? [];
  list.push(entry);
  received.set(key, list);
  return list.length;
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const key = url.searchParams.get("key") ?? "default";
    if (url.pathname === "/__received") return Response.json(received.get(key) ?? []);
    const body = await request.text();
    const count = record(key, { path: url.pathname, headers: Object.fromEntries(request.headers), body });
    switch (url.pathname) {
      case "/ok":
        return new Response(JSON.stringify({ received: true }), { status: 200 });
      case "/fail": {
        const until = Number(url.searchParams.get("until") ?? "0");
        if (until > 0 && count >= until) return new Response("recovered", { status: 200 });
        return new Response("upstream exploded", { status: 500 });
      }
      case "/hang":
        await new Promise((resolve) => setTimeout(resolve, Number(url.searchParams.get("ms") ?? "2000")));
        return new Response("too late", { status: 200 });
      case "/gone":
        return new Response("endpoint retired", { status: 410 });
      case "/reject":
        return new Response("unknown event type", { status: 400 });
      case "/busy":
        return new Response("slow down", { status: 429, headers: { "retry-after": "120" } });
      default:
        return new Response("no such path", { status: 404 });
    }
  },
};
