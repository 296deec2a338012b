/**
 * The load of the chaos and soak runs: senders post signed webhook deliveries and asynchronous run requests
 * (`Prefer: respond-async`) to the API process, for social posts (auto-approved, published on the brand's channel) and
 * brand reports (the embedded defaults: offline writer, PDF in Chromium, mailed to a recipient of the run's own).
 * A sender retries a delivery with the same id until it is answered 200/202, as Standard Webhooks senders do; what
 * refused it is counted by answer (`500`, `503`, `network` when nothing answered).
 */
import { Webhook } from 'standardwebhooks';
import type { TestStack } from './harness';
import { prepareReportBrand } from './report-setup';

export type Kind = 'social-hook' | 'social-request' | 'report-hook' | 'report-request';

/** The order each sender cycles through: two social posts for one report (a report is the heavier run). */
export const DEFAULT_MIX: Kind[] = [
  'social-hook',
  'social-request',
  'report-hook',
  'social-hook',
  'social-request',
  'report-request',
];

export interface Accepted {
  kind: Kind;
  automation: 'social-post' | 'brand-report';
  /** The delivery or request id; also the local part of a report's recipient. */
  id: string;
  runId: string;
  recipient?: string;
}

export interface Traffic {
  accepted: Map<string, Accepted>;
  retries: () => number;
  /** Refusals by answer (`500`, `503`, `network`). */
  refusals: Map<string, number>;
  /** Runs `senders` senders until `done()`; each pauses `paceMs` between deliveries. Ids start with `prefix`. */
  run(options: { senders: number; paceMs: number; prefix: string; done: () => boolean }): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const automationOf = (kind: Kind) => (kind.startsWith('social') ? 'social-post' : 'brand-report');
export const recipientOf = (id: string) => `${id}@chaos.example`;

/** Brands and webhook endpoints for the mix, made through the in-process API (the worker process must be up). */
export async function prepareTraffic(stack: TestStack, base: string, mix: Kind[] = DEFAULT_MIX): Promise<Traffic> {
  const social = await stack.brand({ name: 'Chaos Roasters' });
  const report = mix.some((k) => k.startsWith('report'))
    ? (await prepareReportBrand(stack, { name: 'Chaos Skincare' })).brand
    : undefined;
  const endpoint = async (name: string, automation: string, inputMapping: unknown) => {
    const res = await stack.request('POST', '/api/v1/webhook-endpoints', { name, automation, inputMapping });
    if (res.status !== 201) throw new Error(`endpoint ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.id as string, signer: new Webhook(res.body.secret) };
  };
  const socialHook = await endpoint('Chaos CRM', 'social-post', {
    brandId: social.id,
    platform: 'linkedin',
    postType: 'tips',
    approval: { required: false },
  });
  const reportHook = report
    ? await endpoint('Chaos reports', 'brand-report', {
        brandId: report.id,
        recipients: [{ from: '/email' }],
        approval: { required: false },
      })
    : undefined;

  const accepted = new Map<string, Accepted>();
  const refusals = new Map<string, number>();
  let retries = 0;
  const refused = (why: string) => refusals.set(why, (refusals.get(why) ?? 0) + 1);

  const request = (kind: Kind, id: string): { url: string; headers: Record<string, string>; body: string } => {
    if (kind === 'social-hook' || kind === 'report-hook') {
      const hook = kind === 'social-hook' ? socialHook : reportHook!;
      const body = JSON.stringify(kind === 'social-hook' ? { n: id } : { email: recipientOf(id) });
      return {
        url: `${base}/api/v1/hooks/${hook.id}`,
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
          'webhook-signature': hook.signer.sign(id, new Date(), body),
        },
        body,
      };
    }
    const input =
      kind === 'social-request'
        ? { brandId: social.id, platform: 'x', postType: 'tips', approval: { required: false } }
        : { brandId: report!.id, recipients: [recipientOf(id)], approval: { required: false } };
    return {
      url: `${base}/api/v1/runs`,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${stack.keys.editor}`,
        prefer: 'respond-async',
      },
      body: JSON.stringify({ automation: automationOf(kind), requestId: id, input }),
    };
  };

  /** Sends until answered 200/202 (a sender's retries, the same id each time). */
  const send = async (kind: Kind, id: string) => {
    for (;;) {
      const { url, headers, body } = request(kind, id);
      let res: Response | undefined;
      try {
        res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
      } catch {
        refused('network');
      }
      if (res) {
        const answer = (await res.json().catch(() => ({}))) as { runId?: string };
        if (res.status === 200 || res.status === 202) {
          accepted.set(id, {
            kind,
            automation: automationOf(kind),
            id,
            runId: answer.runId!,
            ...(kind.startsWith('report') && { recipient: recipientOf(id) }),
          });
          return;
        }
        if (res.status < 500 && res.status !== 429)
          throw new Error(`${kind} ${id}: ${res.status} ${JSON.stringify(answer)}`);
        refused(String(res.status));
      }
      retries++;
      await sleep(300);
    }
  };

  return {
    accepted,
    refusals,
    retries: () => retries,
    async run({ senders, paceMs, prefix, done }) {
      await Promise.all(
        Array.from({ length: senders }, async (_, s) => {
          // Senders start at different points of the mix, so every kind flows from the first seconds.
          for (let i = 0; !done(); i++) {
            await send(mix[(i + s * 2) % mix.length], `${prefix}${s}-${i}`);
            await sleep(paceMs);
          }
        }),
      );
    },
  };
}
