/** The automations' run-view manifests (steps, approval kinds, details), loaded once from GET /automations. */
import { api } from '../api.js';

let loading = null;

/** An automation's manifest, then those of the child runs it starts (a batch's per-item runs). */
const entriesOf = (a) => [[a.name, a.manifest || null], ...(a.children || []).map((c) => [c.name, c.manifest])];

/** @returns {Promise<Map<string, {steps: object[], approvals: object, details: object[]}>>} by automation name */
export function loadManifests() {
  loading ??= api('/automations')
    .then((page) => new Map((page.items || []).flatMap(entriesOf)))
    .catch((err) => {
      loading = null; // try again on the next run page
      throw err;
    });
  return loading;
}
