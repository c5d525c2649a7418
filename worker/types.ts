/**
 * @module types: the Hono environment shared by every route and middleware.
 */

import type { Host } from "./middleware/host";
import type { Identity } from "./modules/auth/identity";

export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    host: Host;
    identity: Identity;
  };
};
