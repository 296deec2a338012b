/** The automations' run-view manifests (steps, approval kinds, details), loaded once from GET /automations. */
import { api } from '../api.js';

let loading = null;

/** @returns {Promise<Map<string, {steps: object[], approvals: object, details: object[]}>>} by automation name */
export function loadManifests() {
  loading ??= api('/automations')
    .then((page) => new Map((page.items || []).map((a) => [a.name, a.manifest || null])))
    .catch((err) => {
      loading = null; // try again on the next run page
      throw err;
    });
  return loading;
}
