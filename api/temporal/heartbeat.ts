import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

/** `percent` (0–100) of the last heartbeat's details, when the activity reports one (`{ stage, percent }`). */
export function heartbeatPercent(payloads: temporal.api.common.v1.IPayload[] | null | undefined): number | undefined {
  const last = payloads?.[payloads.length - 1];
  if (!last) return undefined;
  try {
    const details = defaultPayloadConverter.fromPayload<{ percent?: unknown }>(last);
    const percent = details && typeof details === 'object' ? details.percent : undefined;
    return typeof percent === 'number' && Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : undefined;
  } catch {
    return undefined; // not JSON, or not ours: no progress to show
  }
}
