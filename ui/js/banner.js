/** System banner: polls /system/status every 10 s and warns about idle task queues or a down dependency. */
import { api, ApiError } from './api.js';
import { clear, h, icon } from './dom.js';

const INTERVAL_MS = 10_000;
let timer = null;
let region = null;
let generation = 0;

export function startBanner(el) {
  stopBanner();
  region = el;
  const mine = ++generation;
  const tick = async () => {
    let messages = [];
    try {
      const status = await api('/system/status');
      messages = messagesFor(status);
    } catch (err) {
      // A 404 means this API has no status endpoint: nothing to say. 401 is handled by the client.
      if (err instanceof ApiError && err.status === 0) messages = [{ key: 'api', text: [err.message] }];
    }
    if (mine === generation) render(messages);
  };
  void tick();
  timer = window.setInterval(() => void tick(), INTERVAL_MS);
}

export function stopBanner() {
  generation += 1;
  if (timer) window.clearInterval(timer);
  timer = null;
  if (region) clear(region);
}

function messagesFor(status) {
  const messages = [];
  if (!status || typeof status !== 'object') return messages;
  if (status.temporal === 'down')
    messages.push({
      key: 'temporal',
      text: ['Temporal is unreachable: runs cannot start or report progress until it is back.'],
    });
  if (status.database === 'down')
    messages.push({ key: 'database', text: ['The database is unreachable: brands and settings cannot be loaded.'] });
  for (const queue of Array.isArray(status.queues) ? status.queues : []) {
    if (queue && queue.pollers === 0) {
      messages.push({
        key: `queue-${queue.name}`,
        text: [
          `No worker is polling the ${queue.name} task queue: runs will wait until one starts (`,
          h('code', null, 'npm run start:worker'),
          ')',
        ],
      });
    }
  }
  return messages;
}

let lastRendered = '';

function render(messages) {
  if (!region) return;
  const key = messages.map((m) => m.key).join('|');
  if (key === lastRendered && region.childElementCount === messages.length) return;
  lastRendered = key;
  clear(region);
  for (const message of messages) {
    region.appendChild(
      h(
        'div',
        { class: 'banner', 'data-testid': 'system-banner', 'data-key': message.key },
        icon('alert'),
        h('p', null, ...message.text),
      ),
    );
  }
}
