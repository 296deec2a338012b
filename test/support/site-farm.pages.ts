/** The pages of the site farm's sites (test/support/site-farm.ts): realistic enough for the extractor to find things. */

const layout = (title: string, body: string, head = '') => `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>${title}</title>
<meta name="description" content="Atelier Lumière: photo and film studio for brands in Lyon.">
<meta name="generator" content="WordPress 6.5.2">
${head}
</head>
<body>
<nav><a href="/">Home</a> <a href="/about">About</a> <a href="/contact">Contact</a></nav>
${body}
<footer>
  <a href="https://www.instagram.com/atelierlumiere">Instagram</a>
  <a href="https://www.linkedin.com/company/atelier-lumiere">LinkedIn</a>
  <a href="https://facebook.com/atelierlumiere">Facebook</a>
</footer>
<script src="https://www.googletagmanager.com/gtag/js?id=G-TEST"></script>
</body>
</html>
`;

export const NORMAL_PAGES: Record<string, string> = {
  '/': layout(
    'Atelier Lumière — photo & film studio',
    `<h1>Atelier Lumière</h1>
<p>We shoot campaigns, product photos and short films for brands in Lyon and across France.</p>
<p>Write to us: contact [at] atelier-lumiere [dot] example</p>`,
  ),
  '/about': layout(
    'About — Atelier Lumière',
    `<h1>About us</h1><p>Founded in 2012 by two photographers. A team of eight, one studio of 300 m².</p>`,
  ),
  '/contact': layout(
    'Contact — Atelier Lumière',
    `<h1>Contact</h1>
<p><a href="mailto:hello@atelier-lumiere.example">hello@atelier-lumiere.example</a></p>
<p>Phone: <a href="tel:+33472000000">04 72 00 00 00</a></p>
<address>12 rue de la République, 69002 Lyon, France</address>`,
  ),
};

/** A single-page app: nothing to read until its script runs. */
export const JS_ONLY_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Loading…</title></head>
<body><div id="root"></div><noscript>You need to enable JavaScript to run this app.</noscript>
<script src="/app.js"></script></body></html>
`;

export const JS_ONLY_SCRIPT = `document.getElementById('root').innerHTML =
  '<h1>Nordlicht Design</h1><p>Mail: studio@nordlicht-design.de · +49 30 1234567</p>';
document.title = 'Nordlicht Design';
`;

/**
 * A JavaScript page that tries every way out of the renderer's interception: fetches to the metadata service, to a
 * loopback server outside the allow-list (`trap`) and to a farm site that redirects to the metadata service; a
 * WebSocket, a WebRTC STUN probe, a beacon, a preconnect hint, an image and a frame aimed at the trap. Its content
 * (a name, an email, and a phone number read from its own /data.json) exists only once the script ran; each attempt
 * writes its outcome into the page.
 */
export const JS_PROBE_PAGE = (trap: string) => `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Loading…</title>
<link rel="preconnect" href="${trap}"><link rel="dns-prefetch" href="//trap.example">
<script src="/probe.js" defer></script></head>
<body><div id="root"></div><img src="${trap}/pixel.png" alt=""><iframe src="${trap}/frame"></iframe></body></html>
`;

export const JS_PROBE_SCRIPT = (trap: string, metadataRedirect: string) => `
const root = document.getElementById('root');
root.innerHTML = '<h1>Probe Studio</h1><p>Mail: hallo@probe-studio.de</p><p id="phone"></p><ul id="outcomes"></ul>';
document.title = 'Probe Studio';
const note = (name, outcome) => {
  const item = document.createElement('li');
  item.id = name;
  item.textContent = name + ': ' + outcome;
  document.getElementById('outcomes').append(item);
};
const attempt = (name, url) =>
  fetch(url).then((r) => r.text()).then((t) => note(name, 'read ' + t.slice(0, 60)), () => note(name, 'refused'));
attempt('metadata', 'http://169.254.169.254/latest/meta-data/');
attempt('trap', '${trap}/secret');
attempt('redirected', '${metadataRedirect}/');
fetch('/data.json').then((r) => r.json()).then((d) => (document.getElementById('phone').textContent = 'Tel. ' + d.phone));
try {
  const socket = new WebSocket('${trap.replace('http', 'ws')}/socket');
  socket.onerror = () => note('websocket', 'refused');
  socket.onopen = () => note('websocket', 'open');
} catch (err) {
  note('websocket', 'refused');
}
const peer = new RTCPeerConnection({ iceServers: [{ urls: 'stun:${new URL(trap).host}' }] });
peer.createDataChannel('probe');
peer.createOffer().then((offer) => peer.setLocalDescription(offer));
navigator.sendBeacon('${trap}/beacon', 'probe');
`;

/** A page whose script sends the browser to the trap (a loopback server outside the allow-list) at once. */
export const JS_REDIRECT_PAGE = (trap: string) => `<!doctype html>
<html><head><title>Moved</title></head><body><div id="root"></div>
<script>setTimeout(() => { location.href = '${trap}/admin'; }, 50);</script></body></html>
`;

/** A page that never settles: its script never returns. */
export const JS_SPIN_PAGE = `<!doctype html>
<html><head><title>Spinning</title></head><body><div id="root"></div><script>for (;;) {}</script></body></html>
`;

/** Unclosed tags, a stray attribute quote and a bare ampersand: parsers must cope, the fetcher only passes it on. */
export const MALFORMED_PAGE = `<html><head><title>Bäckerei Kraus & Sohn</title>
<body><div class="main><p>Frische Brötchen & Kuchen<p>Telefon: 089 123 456
<a href=mailto:info@kraus.example>info@kraus.example
<table><tr><td>Mo–Fr<td>6–18 Uhr</table
</div></span></body>
`;

/** The smallest well-formed PDF header a client sniffing types would recognise. */
export const PDF_BYTES = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
