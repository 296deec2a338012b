/**
 * A social post's copy (kind `post-copy`): caption, hashtags, call to action and alt text, counted against the
 * platform's limits, next to a preview of the post as it will read. Content: `{ caption, hashtags, callToAction,
 * altText }`; edits name only what changed.
 */
import { field, h } from '../dom.js';
import { platformInfo } from '../state.js';

export const confirmText = {
  approveOriginal: {
    title: 'Approve without your edits?',
    message:
      'You changed the post. Approve publishes the original text; use “Save edits & approve” to publish your version.',
    confirm: 'Approve original',
  },
  reject: {
    title: 'Reject this post?',
    message: 'The run ends without publishing anything.',
    confirm: 'Reject',
    danger: true,
  },
};

const parseTags = (text) =>
  text
    .split(/[\s,]+/)
    .map((t) => t.replace(/^#+/, '').trim())
    .filter(Boolean);

const composed = (copy) =>
  [copy.caption.trim(), copy.callToAction.trim(), copy.hashtags.map((t) => `#${t}`).join(' ')]
    .filter(Boolean)
    .join('\n\n');

const counterText = (length, max, what) => ({
  text: max ? `${length.toLocaleString()} / ${max.toLocaleString()} ${what}` : `${length.toLocaleString()} ${what}`,
  over: max && length > max,
});

const setCounter = (el, { text, over }) => {
  el.textContent = text;
  el.classList.toggle('over', Boolean(over));
};

/** Text areas grow with their content, so the whole caption is visible while editing. */
const grow = (el) => {
  el.style.height = 'auto';
  el.style.height = `${Math.min(el.scrollHeight + 2, 520)}px`;
};

/**
 * @param {{caption: string, hashtags?: string[], callToAction?: string, altText?: string}} content
 * @param {{readOnly: boolean, onInput: () => void, run: object}} o
 */
export function createEditor(content, o) {
  const { readOnly } = o;
  const platform = platformInfo(o.run.input && o.run.input.platform);
  const original = {
    caption: content.caption,
    hashtags: (content.hashtags || []).map((t) => String(t).replace(/^#/, '')),
    callToAction: content.callToAction || '',
    altText: content.altText || '',
  };
  const caption = h('textarea', {
    rows: 6,
    name: 'caption',
    'data-testid': 'approval-caption',
    readOnly,
    value: original.caption,
  });
  const captionCounter = h('span', { class: 'counter', 'data-testid': 'char-counter', 'aria-live': 'polite' });
  const hashtags = h('input', {
    type: 'text',
    name: 'hashtags',
    'data-testid': 'approval-hashtags',
    readOnly,
    value: original.hashtags.join(' '),
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const tagCounter = h('span', { class: 'counter' });
  const cta = h('input', {
    type: 'text',
    name: 'callToAction',
    'data-testid': 'approval-cta',
    readOnly,
    value: original.callToAction,
  });
  const alt = h('textarea', {
    rows: 2,
    name: 'altText',
    'data-testid': 'approval-alt',
    readOnly,
    value: original.altText,
  });
  const altCounter = h('span', { class: 'counter' });
  const previewImg = h('img', { alt: 'Post image', hidden: true, class: 'preview-image' });
  const previewText = h('p', { class: 'preview-text', 'data-testid': 'approval-preview-text' });

  const current = () => ({
    caption: caption.value,
    hashtags: parseTags(hashtags.value),
    callToAction: cta.value,
    altText: alt.value,
  });

  const refresh = () => {
    const copy = current();
    const text = composed(copy);
    setCounter(
      captionCounter,
      counterText([...text].length, platform && platform.captionMax, 'characters with call to action and hashtags'),
    );
    setCounter(
      tagCounter,
      counterText(
        copy.hashtags.length,
        platform && platform.hashtagsMax,
        copy.hashtags.length === 1 ? 'hashtag' : 'hashtags',
      ),
    );
    setCounter(altCounter, counterText([...copy.altText].length, platform && platform.altTextMax, 'characters'));
    previewText.textContent = text;
  };

  for (const control of [caption, hashtags, cta, alt])
    control.addEventListener('input', () => {
      refresh();
      o.onInput();
    });
  for (const area of [caption, alt]) {
    area.addEventListener('input', () => grow(area));
    window.requestAnimationFrame(() => grow(area));
  }
  refresh();

  return {
    fields: [
      field({ label: 'Caption', name: 'edits.caption', control: caption, hint: captionCounter }),
      field({
        label: 'Hashtags',
        name: 'edits.hashtags',
        control: hashtags,
        hint: h('span', null, 'Separated by spaces or commas, without #. ', tagCounter),
      }),
      field({ label: 'Call to action', name: 'edits.callToAction', control: cta }),
      field({
        label: 'Alt text',
        name: 'edits.altText',
        control: alt,
        hint: h('span', null, 'Describes the image for screen readers. ', altCounter),
      }),
    ],
    preview: h(
      'div',
      { class: 'preview', 'aria-label': 'Post preview' },
      h('p', { class: 'eyebrow' }, platform ? `${platform.title} preview` : 'Preview'),
      h('div', { class: 'preview-card' }, previewImg, previewText),
    ),
    edits() {
      const now = current();
      const changed = {};
      if (now.caption !== original.caption) changed.caption = now.caption;
      if (now.hashtags.join(' ') !== original.hashtags.join(' ')) changed.hashtags = now.hashtags;
      if (now.callToAction !== original.callToAction) changed.callToAction = now.callToAction;
      if (now.altText !== original.altText) changed.altText = now.altText;
      return changed;
    },
    /** The run's latest image artifact: the post's picture in the preview. */
    setImage(url) {
      if (!url) return;
      if (previewImg.getAttribute('src') !== url) previewImg.src = url;
      previewImg.alt = alt.value || 'Post image';
      previewImg.hidden = false;
    },
  };
}
