/**
 * Same-origin JSON client for /api/v1. Errors become ApiError carrying the problem document
 * (`{type,title,status,detail,errors:[{field,message}]}`); a 401 anywhere sends the user to log in.
 */

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status (0 when the API could not be reached)
   * @param {{type?: string, title?: string, status?: number, detail?: string, errors?: {field: string, message: string}[]}} problem
   */
  constructor(status, problem) {
    super(problem.detail || problem.title || `Request failed with status ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.title = problem.title || 'Request failed';
    this.errors = Array.isArray(problem.errors) ? problem.errors.filter((e) => e && typeof e.field === 'string') : [];
  }
}

let unauthorizedHandler = () => {};

/** Called (once per failing request) when the API answers 401. */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

/**
 * @param {string} path path under /api/v1, starting with "/"
 * @param {{method?: string, body?: unknown, raw?: Blob|string, contentType?: string, signal?: AbortSignal, expect401?: boolean}} [options]
 *   body is sent as JSON; raw is sent as it is (a file, CSV text) with `contentType`.
 *   expect401: the caller handles 401 itself (start-up and log-in), no redirect.
 */
export async function api(path, options = {}) {
  const { method = 'GET', body, raw, contentType, signal, expect401 = false } = options;
  // X-Requested-With: the API refuses cookie-authenticated writes without it (or JSON), which a cross-site form cannot send.
  const headers = { Accept: 'application/json, application/problem+json', 'X-Requested-With': 'studioflow' };
  const init = { method, headers, credentials: 'same-origin', signal };
  if (raw !== undefined) {
    headers['Content-Type'] = contentType || 'application/octet-stream';
    init.body = raw;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`/api/v1${path}`, init);
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError(0, { title: 'Network error', detail: 'Could not reach the Studioflow API. Is it running?' });
  }
  if (response.status === 401 && !expect401) unauthorizedHandler();
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const problem =
      data && typeof data === 'object'
        ? data
        : {
            title: response.statusText || 'Request failed',
            detail: `The API answered ${response.status} ${response.statusText}`.trim(),
          };
    throw new ApiError(response.status, problem);
  }
  return data;
}

/** API path of a brand, or of something under it: brandPath(id, 'kpis', period). */
export const brandPath = (id, ...rest) =>
  ['/brands', id, ...rest].map((p, i) => (i ? encodeURIComponent(p) : p)).join('/');

/** API path of a run; run ids contain slashes (`social-post/<brandId>/<requestId>`). */
export const runPath = (id) => `/runs/${encodeURIComponent(id)}`;

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** True for errors a page should not report itself (navigation away, or the 401 redirect). */
export function isQuiet(err) {
  return (err && err.name === 'AbortError') || (err instanceof ApiError && err.status === 401);
}
