import { dispatchSubscriber } from "../modules/dispatch/service";
import { fulfilmentMetricsSubscriber } from "../modules/fulfilment/metrics";
import { inventorySyncSubscriber } from "../modules/inventory/subscriber";
import { listingGuardrailSubscriber } from "../modules/listings/subscriber";
import { notificationSubscriber } from "../modules/notifications/subscriber";
import type { Subscriber } from "./consumer";

/** Every consumer of domain events; later modules (dispatch, settlement, distribution) add theirs here. */
export const subscribers: Subscriber[] = [
  notificationSubscriber,
  listingGuardrailSubscriber,
  inventorySyncSubscriber,
  dispatchSubscriber,
  fulfilmentMetricsSubscriber,
];
