/** The states of an inbound webhook delivery in the inbox: accepted, its run started, or given up on. */
export const DELIVERY_STATES = ['pending', 'dispatched', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
