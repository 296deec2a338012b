/**
 * Keeps a running run's page current: server-sent events while they work, polling every few seconds when they do not,
 * and a live indicator that says which. Stops when the run ends.
 */
import { api, isQuiet, runPath } from '../api.js';
import { listenLive } from '../live-stream.js';

const POLL_MS = 3000;
const LIVE_TEXT = {
  live: 'Live',
  polling: 'Updating every 3 s',
  connecting: 'Connecting…',
  stale: 'Update failed, retrying',
  ended: '',
};

/**
 * @param {{runId: string, indicator: HTMLElement, ctx: object, onRun: (run: object) => void}} o
 * @returns {{start: (running: boolean) => void, refresh: () => Promise<void>, stop: () => void}}
 */
export function createLiveRun(o) {
  let source = null;
  let pollTimer = null;
  let refreshing = false;

  async function refresh() {
    if (refreshing) return;
    refreshing = true;
    try {
      const next = await api(runPath(o.runId), { signal: o.ctx.signal });
      if (o.ctx.isCurrent()) o.onRun(next);
      if (next.status !== 'running') stop('ended');
    } catch (err) {
      if (!isQuiet(err)) setLive('stale');
    } finally {
      refreshing = false;
    }
  }

  function setLive(mode) {
    o.indicator.dataset.state = mode;
    o.indicator.lastChild.textContent = LIVE_TEXT[mode];
  }

  function stop(mode) {
    if (source) source.close();
    source = null;
    if (pollTimer) window.clearInterval(pollTimer);
    pollTimer = null;
    setLive(mode);
  }

  function startPolling() {
    if (source) source.close();
    source = null;
    if (pollTimer) return;
    setLive('polling');
    pollTimer = window.setInterval(() => void refresh(), POLL_MS);
  }

  function listen() {
    source = listenLive({
      url: `/api/v1${runPath(o.runId)}/events`,
      event: 'run',
      onData: (data) => {
        try {
          o.onRun(JSON.parse(data));
        } catch (err) {
          console.error('Bad run event', err);
        }
      },
      setLive,
      fallback: startPolling,
      on: {
        end: () => {
          stop('ended');
          // The last `run` event carries the final state; fetch once more in case it raced the close.
          void refresh();
        },
        // The session ended (logged out elsewhere): the next request answers 401 and leads to the log-in page.
        unauthorized: () => {
          stop('ended');
          void refresh();
        },
      },
    });
  }

  return {
    start(running) {
      if (!running) setLive('ended');
      else if (typeof EventSource === 'function') listen();
      else startPolling();
    },
    refresh,
    stop: () => stop('ended'),
  };
}
