/** The run page's artifacts: images, the video (with its subtitles track), audio, the PDF inline, and links. */
import { h, icon, replaceChildren, safeUrl } from '../dom.js';

export function renderArtifacts(body, artifacts, run) {
  if (artifacts.length === 0) {
    replaceChildren(
      body,
      h(
        'p',
        { class: 'muted' },
        run.status === 'running' ? 'Files and links appear here as steps produce them.' : 'This run produced no files.',
      ),
    );
    return;
  }
  const context = {
    altText: run.result && run.result.copy && run.result.copy.altText,
    artifacts,
    language: (run.input && run.input.brief && run.input.brief.language) || 'en',
  };
  replaceChildren(
    body,
    artifacts.map((a) => artifactView(a, context)),
  );
}

function artifactView(a, context) {
  const url = safeUrl(a.url);
  const titleText = a.title || a.kind;
  const caption = h(
    'figcaption',
    null,
    h('span', null, titleText),
    h(
      'a',
      {
        href: url,
        target: '_blank',
        rel: 'noopener',
        class: 'icon-link',
        'aria-label': `Open ${titleText} in a new tab`,
      },
      icon('external'),
    ),
  );
  const attrs = {
    class: `artifact artifact-${a.kind}`,
    'data-testid': `artifact-${a.kind}`,
    'data-step': a.step || null,
  };
  switch (a.kind) {
    case 'image':
      return h(
        'figure',
        attrs,
        h(
          'a',
          { href: url, target: '_blank', rel: 'noopener', class: 'artifact-media' },
          h('img', { src: url, alt: context.altText || titleText, loading: 'lazy', decoding: 'async' }),
        ),
        caption,
      );
    case 'video': {
      // The subtitles are burned into the picture; the WebVTT track is there for players and assistive technology
      // that read text (not shown by default, or the captions would show twice).
      const subtitles = context.artifacts.find((x) => x.kind === 'subtitles');
      return h(
        'figure',
        attrs,
        h(
          'video',
          { src: url, controls: true, preload: 'metadata', playsinline: true, class: 'artifact-media' },
          subtitles
            ? h('track', {
                kind: 'subtitles',
                src: safeUrl(subtitles.url),
                srclang: context.language,
                label: 'Subtitles',
              })
            : null,
        ),
        caption,
      );
    }
    case 'audio':
      return h('figure', attrs, h('audio', { src: url, controls: true, preload: 'none' }), caption);
    case 'pdf':
      return h(
        'figure',
        attrs,
        h(
          'object',
          { data: url, type: 'application/pdf', class: 'artifact-pdf', 'aria-label': titleText },
          h(
            'p',
            null,
            'This browser cannot show the PDF inline. ',
            h('a', { href: url, target: '_blank', rel: 'noopener' }, 'Open it'),
            '.',
          ),
        ),
        caption,
      );
    default:
      return h(
        'div',
        attrs,
        h(
          'a',
          { href: url, target: '_blank', rel: 'noopener', class: 'artifact-anchor' },
          icon(a.kind === 'link' || a.kind === 'html' ? 'external' : 'runs'),
          h(
            'span',
            { class: 'artifact-link-text' },
            h('span', { class: 'artifact-link-title' }, titleText),
            h('span', { class: 'artifact-link-url mono' }, a.url),
          ),
        ),
      );
  }
}
