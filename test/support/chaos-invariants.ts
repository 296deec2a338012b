/**
 * What must hold after a chaos or soak run, for every delivery and request that was answered 200/202: it is in the
 * inbox and dispatched (none lost); its workflow id has exactly one execution (none started twice); the run completed;
 * a social post published exactly one post; a brand report has its one report row with a PDF and mailed it once
 * (one Message-ID at its recipient: the mail activity keeps the id stable across retries).
 */
import { QueryTypes } from 'sequelize';
import type { Client } from '@temporalio/client';
import type { ChaosStack } from './chaos-stack';
import type { Accepted } from './chaos-traffic';
import { waitFor } from './harness';

export interface ChaosInvariant {
  name: string;
  expected: number;
  actual: number;
  ok: boolean;
}

/** Maps with at most `limit` calls in flight (thousands of describes at once would only queue in Temporal). */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

const statusOf = (client: Client, runId: string) =>
  client.workflow
    .getHandle(runId)
    .describe()
    .then((d) => d.status.name as string)
    .catch(() => 'NOT_FOUND');

/**
 * Waits up to `settleMs` for every run to complete and every inbox row to be marked dispatched, then checks the
 * invariants. A dispatcher killed between a start and its mark leaves the row claimed until its lease (60 s) ends;
 * then any dispatcher finds the run started and marks the row.
 */
export async function checkInvariants(
  chaos: ChaosStack,
  client: Client,
  accepted: Accepted[],
  prefix: string,
  settleMs: number,
  log?: (...lines: string[]) => void,
): Promise<ChaosInvariant[]> {
  const { stack } = chaos;
  const ids = accepted.map((a) => a.runId);
  const inboxStates = () =>
    stack.db.sequelize.query<{ state: string; n: number }>(
      `SELECT state, count(*)::int AS n FROM webhook_deliveries
        WHERE workspace_id = :ws AND delivery_id LIKE :prefix GROUP BY state`,
      { replacements: { ws: stack.workspaceId, prefix: `${prefix}%` }, type: QueryTypes.SELECT },
    );
  await waitFor(
    'every run to complete and every delivery to be marked dispatched',
    async () =>
      (await mapLimit(ids, 16, (id) => statusOf(client, id))).every((s) => s === 'COMPLETED') &&
      (await inboxStates()).every((r) => r.state === 'dispatched'),
    settleMs,
    1_000,
  ).catch(() => undefined);

  const inbox = await inboxStates();
  const statuses = await mapLimit(ids, 16, (id) => statusOf(client, id));
  const executions = await mapLimit(ids, 8, async (id) => {
    let n = 0;
    for await (const _ of client.workflow.list({ query: `WorkflowId = '${id}'` })) n++;
    return n;
  });

  const social = accepted.filter((a) => a.automation === 'social-post');
  const reports = accepted.filter((a) => a.automation === 'brand-report');
  const posts = await mapLimit(social, 16, (a) => stack.server.services.postRepo.countByWorkflow(a.runId));
  const reportRows = reports.length
    ? await stack.db.sequelize.query<{ workflow_id: string; pdfs: number }>(
        `SELECT workflow_id, count(pdf_key)::int AS pdfs FROM brand_reports WHERE workflow_id IN (:ids) GROUP BY workflow_id`,
        { replacements: { ids: reports.map((r) => r.runId) }, type: QueryTypes.SELECT },
      )
    : [];
  const mail = new Map<string, Set<string>>();
  for (const m of chaos.sink.messages())
    for (const to of m.envelope.to) mail.set(to, (mail.get(to) ?? new Set()).add(m.messageId ?? m.id));
  const mails = reports.map((r) => mail.get(r.recipient!)?.size ?? 0);

  const check = (name: string, expected: number, actual: number): ChaosInvariant => ({
    name,
    expected,
    actual,
    ok: expected === actual,
  });
  const status = new Map(ids.map((id, i) => [id, statuses[i]]));
  // Why a run did not finish, for the report: its status, pending activities and their last failure.
  const unfinished = await mapLimit(ids.filter((id) => status.get(id) !== 'COMPLETED').slice(0, 10), 4, async (id) => {
    const d = await client.workflow
      .getHandle(id)
      .describe()
      .catch(() => undefined);
    const pending = (d?.raw.pendingActivities ?? []).map(
      (a) => `${a.activityType?.name} attempt ${a.attempt}${a.lastFailure ? `: ${a.lastFailure.message}` : ''}`,
    );
    return `${id} ${status.get(id)} ${pending.join('; ') || 'no pending activity'}`;
  });
  log?.(...unfinished);
  const completed = (of: Accepted[]) => of.filter((a) => status.get(a.runId) === 'COMPLETED').length;
  return [
    check(
      'accepted deliveries and requests in the inbox',
      ids.length,
      inbox.reduce((s, r) => s + r.n, 0),
    ),
    check('… dispatched', ids.length, inbox.find((r) => r.state === 'dispatched')?.n ?? 0),
    check('runs with exactly one execution', ids.length, executions.filter((n) => n === 1).length),
    check('social posts completed', social.length, completed(social)),
    check('social posts that published exactly one post', social.length, posts.filter((n) => n === 1).length),
    // Apart from runs not finished yet: a side effect repeated.
    check('social posts that published more than once', 0, posts.filter((n) => n > 1).length),
    check('brand reports completed', reports.length, completed(reports)),
    check(
      'brand reports with their one report row and PDF',
      reports.length,
      reportRows.filter((r) => r.pdfs === 1).length,
    ),
    check('brand reports mailed exactly once (one Message-ID)', reports.length, mails.filter((n) => n === 1).length),
    check('brand reports mailed more than once', 0, mails.filter((n) => n > 1).length),
  ];
}
