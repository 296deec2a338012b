/** The activities each task queue serves, wired from the worker's dependencies. */
import { createMailActivities, createSqlIdempotencyStore, messageIdDomainOf } from '../activities/mail';
import { createMediaInspectActivities } from '../activities/media/inspect.activities';
import { createRenderActivities } from '../activities/render';
import { createSocialActivities } from '../activities/social/social.activities';
import { createTextActivities } from '../activities/text';
import { createBrandRepository } from '../db/repositories/brand.repository';
import { createPostRepository } from '../db/repositories/post.repository';
import type { QueueKind } from '../lib/task-queues';
import type { WorkerDependencies } from './dependencies';

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not available in this worker`);
  return value;
}

export function activitiesFor(kind: QueueKind, deps: WorkerDependencies): object {
  switch (kind) {
    case 'main': {
      const db = required(deps.db, 'The database');
      return {
        ...createSocialActivities({
          brands: createBrandRepository(db),
          posts: createPostRepository(),
          publicUrl: deps.config.api.publicUrl,
        }),
        ...createTextActivities({ writer: required(deps.textWriter, 'The text writer') }),
        ...createMailActivities({
          mailer: required(deps.mailer, 'The mailer'),
          storage: deps.storage,
          idempotency: createSqlIdempotencyStore(),
          messageIdDomain: messageIdDomainOf(deps.config.mail.from),
          // A claim outlives one delivery attempt, so a retry never races a send still in flight.
          leaseMs: deps.config.mail.smtp.timeoutMs + 15_000,
        }),
      };
    }
    case 'browser':
      return createRenderActivities({ pool: required(deps.browserPool, 'The browser pool'), storage: deps.storage });
    case 'media':
      return createMediaInspectActivities({ storage: deps.storage, filesDir: deps.config.filesDir });
  }
}
