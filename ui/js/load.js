import { api, ApiError, isQuiet } from './api.js';
import { errorBox, h, replaceChildren } from './dom.js';

/**
 * Loads `path` and draws what `pick` takes from it (its items by default) while the page is still shown; a failure
 * replaces `target` with the error and a retry.
 */
export async function loadInto(ctx, target, path, draw, pick = (data) => data.items || []) {
  try {
    const data = await api(path, { signal: ctx.signal });
    if (ctx.isCurrent()) draw(pick(data));
  } catch (err) {
    if (!isQuiet(err))
      replaceChildren(
        target,
        errorBox(err, () => void loadInto(ctx, target, path, draw, pick)),
      );
  }
}

/**
 * loadInto, and again every `ms` while `pending(items)` holds, until the page is left.
 * @returns {() => Promise<void>} loads now
 */
export function pollInto(ctx, target, path, draw, { pending, ms }) {
  let timer = null;
  ctx.cleanup(() => window.clearTimeout(timer));
  const load = () => {
    window.clearTimeout(timer);
    return loadInto(ctx, target, path, (items) => {
      draw(items);
      if (pending(items)) timer = window.setTimeout(() => void load(), ms);
    });
  };
  return load;
}

/**
 * A page whose data did not load: `target` shows `keep` and the error, whose retry loads the page again. A quiet
 * error (the user moved on) is thrown on, for the router.
 */
export function showPageError(ctx, err, target, ...keep) {
  if (isQuiet(err)) throw err;
  replaceChildren(
    target,
    ...keep,
    errorBox(err, () => ctx.navigate(location.hash)),
  );
}

/** The heading of a page whose subject did not load: `notFound` on a 404, `failed` otherwise. */
export const failedTitle = (err, notFound, failed) =>
  h('h1', null, err instanceof ApiError && err.status === 404 ? notFound : failed);
