/** The A/B test's control update: its message, shared by the workflow and the API (which may not import workflows). */
import { defineUpdate } from '@temporalio/workflow';

export interface ControlRequest {
  action: 'pause' | 'resume' | 'stop' | 'extend';
  /** For `extend`: days added to the maximum duration. */
  days?: number;
  by?: string;
}

export const controlUpdate = defineUpdate<{ accepted: ControlRequest['action'] }, [ControlRequest]>('control');
