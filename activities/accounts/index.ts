export { createAccountActivities, type AccountActivities, type AccountActivityDeps } from './account.activities';
