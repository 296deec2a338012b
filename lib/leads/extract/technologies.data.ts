/**
 * Technologies a lead's site reveals: by its generator meta tag, or by a marker (a host, optionally with a path) in
 * the address of a script, stylesheet, iframe or image, or in an inline script's text (trackers paste snippets).
 */
export interface TechnologyRule {
  name: string;
  category:
    | 'cms'
    | 'site builder'
    | 'shop'
    | 'analytics'
    | 'tag manager'
    | 'advertising'
    | 'marketing'
    | 'chat'
    | 'payments'
    | 'cdn';
  /** Matched against `<meta name="generator">`. */
  generator?: RegExp;
  /** Lower-case substrings of a resource address or inline script. */
  markers?: string[];
}

export const TECHNOLOGIES: readonly TechnologyRule[] = [
  { name: 'WordPress', category: 'cms', generator: /^wordpress/i, markers: ['/wp-content/', '/wp-includes/'] },
  { name: 'WooCommerce', category: 'shop', generator: /^woocommerce/i, markers: ['/plugins/woocommerce/'] },
  { name: 'Drupal', category: 'cms', generator: /^drupal/i, markers: ['/sites/default/files/'] },
  { name: 'Joomla', category: 'cms', generator: /^joomla/i, markers: ['/media/jui/'] },
  { name: 'Typo3', category: 'cms', generator: /^typo3/i, markers: ['/typo3conf/', '/typo3temp/'] },
  { name: 'Ghost', category: 'cms', generator: /^ghost/i },
  {
    name: 'Wix',
    category: 'site builder',
    generator: /^wix\.com/i,
    markers: ['static.parastorage.com', 'static.wixstatic.com'],
  },
  {
    name: 'Squarespace',
    category: 'site builder',
    generator: /squarespace/i,
    markers: ['static1.squarespace.com', 'assets.squarespace.com'],
  },
  {
    name: 'Webflow',
    category: 'site builder',
    generator: /^webflow/i,
    markers: ['assets.website-files.com', 'cdn.prod.website-files.com'],
  },
  { name: 'Jimdo', category: 'site builder', generator: /jimdo/i, markers: ['assets.jimstatic.com'] },
  { name: 'Duda', category: 'site builder', markers: ['irp.cdn-website.com'] },
  { name: 'Shopify', category: 'shop', generator: /shopify/i, markers: ['cdn.shopify.com', 'cdn.shopifycdn.net'] },
  { name: 'PrestaShop', category: 'shop', generator: /prestashop/i, markers: ['/modules/ps_'] },
  { name: 'Magento', category: 'shop', generator: /magento/i, markers: ['/static/frontend/magento/', 'mage/cookies'] },
  {
    name: 'Google Tag Manager',
    category: 'tag manager',
    markers: ['googletagmanager.com/gtm.js', 'googletagmanager.com/ns.html'],
  },
  {
    name: 'Google Analytics',
    category: 'analytics',
    markers: ['googletagmanager.com/gtag/js', 'google-analytics.com/'],
  },
  { name: 'Google Ads', category: 'advertising', markers: ['googleadservices.com', 'googlesyndication.com'] },
  { name: 'Meta Pixel', category: 'advertising', markers: ['connect.facebook.net/', 'facebook.com/tr?'] },
  { name: 'LinkedIn Insight', category: 'advertising', markers: ['snap.licdn.com'] },
  { name: 'TikTok Pixel', category: 'advertising', markers: ['analytics.tiktok.com'] },
  { name: 'Hotjar', category: 'analytics', markers: ['static.hotjar.com', 'script.hotjar.com'] },
  { name: 'Matomo', category: 'analytics', markers: ['matomo.js', 'piwik.js', 'cdn.matomo.cloud'] },
  { name: 'Plausible', category: 'analytics', markers: ['plausible.io/js'] },
  { name: 'Microsoft Clarity', category: 'analytics', markers: ['clarity.ms/tag'] },
  { name: 'HubSpot', category: 'marketing', markers: ['js.hs-scripts.com', 'js.hsforms.net', 'js.hs-analytics.net'] },
  { name: 'Mailchimp', category: 'marketing', markers: ['chimpstatic.com', 'list-manage.com'] },
  { name: 'Klaviyo', category: 'marketing', markers: ['static.klaviyo.com'] },
  { name: 'Intercom', category: 'chat', markers: ['widget.intercom.io', 'js.intercomcdn.com'] },
  { name: 'Drift', category: 'chat', markers: ['js.driftt.com'] },
  { name: 'Zendesk', category: 'chat', markers: ['static.zdassets.com'] },
  { name: 'Tawk.to', category: 'chat', markers: ['embed.tawk.to'] },
  { name: 'Crisp', category: 'chat', markers: ['client.crisp.chat'] },
  { name: 'Stripe', category: 'payments', markers: ['js.stripe.com'] },
  { name: 'PayPal', category: 'payments', markers: ['paypal.com/sdk/js', 'paypalobjects.com'] },
  { name: 'Cloudflare', category: 'cdn', markers: ['/cdn-cgi/', 'cdnjs.cloudflare.com'] },
];
