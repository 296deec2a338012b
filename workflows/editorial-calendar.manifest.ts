import type { RunManifest } from './manifest';

export const editorialCalendarManifest: RunManifest = {
  automation: 'editorial-calendar',
  steps: [
    { name: 'schedule', title: 'Schedule' },
    { name: 'publish', title: 'Publish' },
  ],
  activitySteps: {
    loadScheduledEntries: 'schedule',
    checkCalendarEntry: 'schedule',
    claimCalendarEntry: 'publish',
    finishCalendarEntry: 'publish',
  },
  approvals: {},
  details: [],
};

export const calendarGenerationManifest: RunManifest = {
  automation: 'calendar-generation',
  steps: [{ name: 'draft', title: 'Draft entries' }],
  activitySteps: { draftCalendarEntries: 'draft' },
  approvals: {},
  details: [{ label: 'Drafted', value: 'result.drafted', format: 'number' }],
};

export const calendarAnalyticsManifest: RunManifest = {
  automation: 'calendar-analytics',
  steps: [{ name: 'collect', title: 'Collect KPIs' }],
  activitySteps: { listCalendarBrands: 'collect', recordVideoStats: 'collect' },
  approvals: {},
  details: [{ label: 'Brands', value: 'result.brands', format: 'number' }],
};
