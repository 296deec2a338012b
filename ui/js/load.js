import { api, isQuiet } from './api.js';
import { errorBox, replaceChildren } from './dom.js';

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
