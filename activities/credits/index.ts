export {
  createCreditActivities,
  type CreditActivities,
  type CreditActivityDeps,
  type ReserveCreditsInput,
  type ReserveCreditsResult,
  type CaptureCreditsInput,
  type ReleaseCreditsInput,
  type SettleCreditsResult,
} from './credits.activities';
