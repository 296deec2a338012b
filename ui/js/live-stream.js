/**
 * A page's server-sent event stream: says "live" while it delivers, "stale" when the server sends an error event,
 * and hands over to polling once the connection is lost for good or fails three times in a row.
 */

/**
 * @param {{url: string, event: string, onData: (data: string) => void, setLive: (mode: string) => void,
 *   fallback: () => void, on?: Record<string, () => void>}} o  on: handlers of the stream's other events
 * @returns {EventSource}
 */
export function listenLive(o) {
  let failures = 0;
  const source = new EventSource(o.url, { withCredentials: true });
  source.addEventListener('open', () => o.setLive('live'));
  source.addEventListener(o.event, (event) => {
    failures = 0;
    o.setLive('live');
    o.onData(event.data);
  });
  for (const [name, handler] of Object.entries(o.on || {})) source.addEventListener(name, handler);
  source.addEventListener('error', (event) => {
    if (event.data) {
      // The server could not load the data this time; the stream stays open.
      o.setLive('stale');
      return;
    }
    failures += 1;
    if (source.readyState === EventSource.CLOSED || failures >= 3) o.fallback();
    else o.setLive('connecting');
  });
  return source;
}
