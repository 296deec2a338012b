/** Running one activity function in the SDK's mock activity context, quietly, and the smallest PNG to publish. */
import type { Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';

/** A 1×1 PNG: an image every platform fake accepts as a post's picture. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const quiet: Logger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Calls `fn` as an activity (heartbeats and cancellation work), its logs dropped. */
export const runActivity = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
  new MockActivityEnvironment(undefined, { logger: quiet }).run(fn, ...args);
