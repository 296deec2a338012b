/**
 * #/launch/video: start a video. The brand (preselected by `?brandId=`), the brief, the format and length, where to
 * publish, the voice, and whether a person approves the script first; with the credits it will reserve next to the
 * workspace's available balance.
 */
import { api, isQuiet, query } from './api.js';
import { approvalPolicyFields } from './approval-policy.js';
import { openLaunchPage, startRunOnSubmit } from './launch-page.js';
import { clientError, field, formatNumber, h, replaceChildren } from './dom.js';

import { VIDEO_PLATFORMS } from './state.js';

const MIN_SECONDS = 15;
const MAX_SECONDS = 180;

export async function renderVideoLaunch(ctx) {
  const page = await openLaunchPage(ctx, {
    title: 'New video',
    description:
      'Studioflow writes a script from your brief, waits for your approval, records the narration, renders a captioned video in the brand colours and publishes it on each platform you choose.',
    noBrands: 'A video is made for a brand: its colours, logo and facts. Create one first.',
  });
  if (!page) return;
  const { wrap, header, brandSelect } = page;
  const preselect = ctx.query.get('brandId');
  const text = (name, attrs = {}) =>
    h('input', { type: 'text', name, autocomplete: 'off', 'data-testid': `video-${name}`, ...attrs });
  const topic = h('textarea', {
    name: 'topic',
    rows: 2,
    maxlength: 300,
    required: true,
    placeholder: 'Why shade-grown coffee tastes sweeter',
    'data-testid': 'video-topic',
  });
  const audience = text('audience', { maxlength: 300, placeholder: 'our customers' });
  const tone = text('tone', { maxlength: 120, placeholder: 'friendly, expert' });
  const callToAction = text('callToAction', { maxlength: 200, placeholder: 'Follow us for more' });
  const language = text('language', { maxlength: 2, value: 'en', size: 3, spellcheck: 'false' });

  const format = h(
    'div',
    { class: 'choice-grid', role: 'radiogroup', 'aria-label': 'Format' },
    [
      ['vertical', 'Vertical 1080×1920', 'Shorts, Reels, TikTok'],
      ['horizontal', 'Horizontal 1920×1080', 'YouTube, LinkedIn, the web'],
    ].map(([value, title, hint], i) =>
      h(
        'label',
        { class: 'choice' },
        h('input', { type: 'radio', name: 'format', value, checked: i === 0, 'data-testid': `video-format-${value}` }),
        h(
          'span',
          { class: 'choice-body' },
          h('span', { class: 'choice-title' }, title),
          h('span', { class: 'choice-desc' }, hint),
        ),
      ),
    ),
  );
  const seconds = h('input', {
    type: 'number',
    name: 'targetSeconds',
    min: MIN_SECONDS,
    max: MAX_SECONDS,
    step: 1,
    value: '30',
    inputmode: 'numeric',
    'data-testid': 'video-seconds',
  });
  const platformBoxes = VIDEO_PLATFORMS.map((p) =>
    h(
      'label',
      { class: 'segment' },
      h('input', {
        type: 'checkbox',
        name: 'platforms',
        value: p.name,
        checked: p.name === 'local',
        'data-testid': `video-platform-${p.name}`,
      }),
      h('span', null, p.title),
    ),
  );
  const platforms = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Platforms' }, platformBoxes);
  const voiceProvider = h(
    'select',
    { name: 'voiceProvider', 'data-testid': 'video-voice-provider' },
    h('option', { value: '' }, 'Default (as configured)'),
    h('option', { value: 'espeak' }, 'espeak-ng (built in, free)'),
    h('option', { value: 'elevenlabs' }, 'ElevenLabs (needs its key)'),
  );
  const voiceName = text('voice', { maxlength: 100, placeholder: 'by language, e.g. en-us or en+f3' });
  const wpm = h('input', {
    type: 'number',
    name: 'wordsPerMinute',
    min: 80,
    max: 260,
    step: 5,
    placeholder: '160',
    inputmode: 'numeric',
    'data-testid': 'video-wpm',
  });
  const approval = approvalPolicyFields({
    label: 'Require a human to approve the script before anything is recorded',
    hint: 'The approver can edit every scene’s narration, on-screen text and visual, or reject the script (its credits are released).',
    minutes: 60,
    rejectLabel: 'Reject (render nothing)',
  });

  const cost = h('div', { class: 'cost', 'aria-live': 'polite', 'data-testid': 'video-cost' });
  const submit = h(
    'button',
    { type: 'submit', class: 'btn btn-primary btn-large', 'data-testid': 'launch-submit' },
    'Create video',
  );

  const chosenPlatforms = () => platformBoxes.map((l) => l.querySelector('input')).filter((i) => i.checked);

  let quoteToken = 0;
  let balance = null;
  const refreshCost = async () => {
    const token = ++quoteToken;
    const n = Number(seconds.value);
    const names = chosenPlatforms().map((i) => i.value);
    if (!Number.isInteger(n) || n < MIN_SECONDS || n > MAX_SECONDS || names.length === 0) {
      replaceChildren(
        cost,
        h('span', { class: 'muted' }, 'Choose a length and at least one platform to see the cost.'),
      );
      return;
    }
    try {
      const [quote, credits] = await Promise.all([
        api(`/credits/quote${query({ seconds: n, platforms: names.join(','), voice: voiceProvider.value })}`, {
          signal: ctx.signal,
        }),
        balance ? Promise.resolve(balance) : api('/credits', { signal: ctx.signal }),
      ]);
      balance = credits;
      if (token !== quoteToken || !ctx.isCurrent()) return;
      const short = quote.total > credits.available;
      replaceChildren(
        cost,
        h(
          'p',
          { class: short ? 'cost-line cost-short' : 'cost-line' },
          h('strong', { 'data-testid': 'video-cost-total' }, `${formatNumber(quote.total)} credits`),
          ` reserved at start, charged for what is made · ${formatNumber(credits.available)} available`,
        ),
        h(
          'p',
          { class: 'hint' },
          quote.lines
            .filter((l) => l.credits > 0)
            .map((l) => `${l.item}: ${l.credits} (${l.detail})`)
            .join(' · ') || 'Everything but the render is free with the built-in providers.',
        ),
        short
          ? h(
              'p',
              { class: 'field-error', 'data-testid': 'video-cost-short' },
              'Not enough credits: the run would fail at its first step. ',
              h('a', { href: '#/credits' }, 'See credits'),
              '.',
            )
          : null,
      );
    } catch (err) {
      if (isQuiet(err) || token !== quoteToken) return;
      replaceChildren(cost, h('span', { class: 'field-error' }, err.message));
    }
  };
  for (const el of [seconds, voiceProvider, ...platformBoxes.map((l) => l.querySelector('input'))])
    el.addEventListener('input', () => void refreshCost());

  const form = h(
    'form',
    { class: 'card stack launch-form', novalidate: true, 'data-testid': 'launch-form' },
    field({ label: 'Brand', name: 'input.brandId', control: brandSelect }),
    h(
      'fieldset',
      { class: 'fieldset', 'data-field': 'input.brief' },
      h('legend', null, 'Brief'),
      field({ label: 'Topic', name: 'input.brief.topic', control: topic, hint: 'What the video is about.' }),
      h(
        'div',
        { class: 'row' },
        field({ label: 'Audience', name: 'input.brief.audience', control: audience, optional: true }),
        field({ label: 'Tone', name: 'input.brief.tone', control: tone, optional: true }),
      ),
      h(
        'div',
        { class: 'row' },
        field({ label: 'Call to action', name: 'input.brief.callToAction', control: callToAction, optional: true }),
        field({
          label: 'Language',
          name: 'input.brief.language',
          control: language,
          hint: 'Two letters: en, fr, de…',
        }),
      ),
    ),
    h(
      'fieldset',
      { class: 'fieldset', 'data-field': 'input.format' },
      h('legend', null, 'Format and length'),
      format,
      field({
        label: 'Length (seconds)',
        name: 'input.targetSeconds',
        control: seconds,
        hint: `${MIN_SECONDS} to ${MAX_SECONDS}; the script is sized to it at the voice’s speaking rate.`,
      }),
    ),
    h(
      'fieldset',
      { class: 'fieldset', 'data-field': 'input.platforms' },
      h('legend', null, 'Publish on'),
      platforms,
      h(
        'p',
        { class: 'hint' },
        'The brand channel is always available; other platforms publish once their credentials are configured, and a platform that fails does not stop the others.',
      ),
    ),
    h(
      'fieldset',
      { class: 'fieldset', 'data-field': 'input.voice' },
      h('legend', null, 'Voice'),
      h(
        'div',
        { class: 'row' },
        field({ label: 'Provider', name: 'input.voice.provider', control: voiceProvider }),
        field({ label: 'Voice', name: 'input.voice.voice', control: voiceName, optional: true }),
        field({ label: 'Words per minute', name: 'input.voice.wordsPerMinute', control: wpm, optional: true }),
      ),
    ),
    approval.el,
    cost,
    h(
      'div',
      { class: 'form-actions' },
      submit,
      h(
        'a',
        { class: 'btn btn-ghost', href: preselect ? `#/brands/${encodeURIComponent(preselect)}` : '#/runs' },
        'Cancel',
      ),
    ),
  );

  const read = () => {
    const errors = [];
    const n = Number(seconds.value);
    if (!topic.value.trim()) errors.push({ field: 'input.brief.topic', message: 'Say what the video is about.' });
    if (!Number.isInteger(n) || n < MIN_SECONDS || n > MAX_SECONDS)
      errors.push({
        field: 'input.targetSeconds',
        message: `Enter a whole number of seconds from ${MIN_SECONDS} to ${MAX_SECONDS}.`,
      });
    const names = chosenPlatforms().map((i) => i.value);
    if (names.length === 0) errors.push({ field: 'input.platforms', message: 'Choose at least one platform.' });
    const policy = approval.read();
    if (policy.error) errors.push(...policy.error.errors);
    if (errors.length) return { error: clientError(errors) };
    const brief = { topic: topic.value.trim(), language: language.value.trim().toLowerCase() || 'en' };
    for (const [key, el] of [
      ['audience', audience],
      ['tone', tone],
      ['callToAction', callToAction],
    ])
      if (el.value.trim()) brief[key] = el.value.trim();
    const voice = {};
    if (voiceProvider.value) voice.provider = voiceProvider.value;
    if (voiceName.value.trim()) voice.voice = voiceName.value.trim();
    if (wpm.value !== '') voice.wordsPerMinute = Number(wpm.value);
    return {
      value: {
        brandId: brandSelect.value,
        brief,
        format: form.querySelector('input[name="format"]:checked').value,
        targetSeconds: n,
        platforms: names,
        voice,
        approval: policy.value,
      },
    };
  };

  startRunOnSubmit(ctx, form, submit, { automation: 'video', started: 'Video started.', read });

  replaceChildren(wrap, header, form);
  await refreshCost();
}
