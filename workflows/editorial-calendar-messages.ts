/** The editorial calendar's update: its message, shared by the workflow and the API (which may not import workflows). */
import { defineUpdate } from '@temporalio/workflow';
import type { EntryChange } from '../lib/calendar/entry';

export type { EntryChange };

/** Sent by the API after it wrote an entry's row: the calendar re-arms that entry's timer at its new time, or drops it. */
export const entryChangedUpdate = defineUpdate<{ armed: boolean }, [EntryChange]>('entryChanged');

export const calendarWorkflowId = (brandId: string) => `editorial-calendar/${brandId}`;
