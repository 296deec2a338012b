/**
 * Approval editors by kind (the `kind` the API gives each pending approval, from the automation's manifest). Each
 * module exports `createEditor(content, { readOnly, onInput, run })` → `{ fields, preview, edits, setImage? }` and
 * `confirmText` (`approveOriginal`, `reject`). A new kind of approval adds a module here; the run page stays as it is.
 */
import * as abVerdict from './ab-verdict.js';
import * as postCopy from './post-copy.js';
import * as raw from './raw.js';
import * as reportDelivery from './report-delivery.js';
import * as videoScript from './video-script.js';

const EDITORS = {
  'ab-verdict': abVerdict,
  'post-copy': postCopy,
  'report-delivery': reportDelivery,
  'video-script': videoScript,
};

/** The editor module of an approval's kind; content of an unknown kind is shown as it is. */
export const approvalEditor = (kind) => (Object.hasOwn(EDITORS, kind) ? EDITORS[kind] : raw);
