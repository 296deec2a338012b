/** The UI's DOM kit: element builder, formatting, status badges, forms, feedback and icons. */
export { h, clear, replaceChildren, safeUrl } from './dom/element.js';
export {
  formatDateTime,
  formatRelative,
  formatDuration,
  formatCountdown,
  formatNumber,
  formatPercent,
  formatScore,
  formatBytes,
  formatDay,
  time,
} from './dom/format.js';
export { statusLabel, statusBadge } from './dom/status.js';
export { nextId, field, clearErrors, showErrors, clientError, busy, onSubmit, stackForm } from './dom/forms.js';
export {
  toast,
  errorBox,
  confirmDialog,
  copyButton,
  emptyState,
  spinner,
  runAction,
  actionButton,
} from './dom/feedback.js';
export { icon } from './dom/icons.js';
