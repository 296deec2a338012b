import { capFirst, listWith, lowerFirst, sentence } from '../../../lib/prose';
import { type Phrasebook, pick, promoCta } from './phrasebook';

export const EN: Phrasebook = {
  list: listWith('and'),
  listOr: listWith('or'),
  missionLine: (m) => `Our mission: ${lowerFirst(sentence(m))}`,
  altTexts: [
    (n, h) => `${n} branded graphic in the brand's colours with the headline "${h}"`,
    (n, h) => `${n} graphic with the headline "${h}"`,
  ],
  typeTags: {
    educational: 'DidYouKnow',
    promotional: 'MadeForYou',
    engagement: 'LetsTalk',
    storytelling: 'BehindTheScenes',
    announcement: 'BigNews',
    tips: 'QuickTips',
    testimonial: 'CustomerLove',
    seasonal: 'ThisSeason',
    trending: 'Trending',
  },
  drafts: {
    educational: (f) => ({
      hook: pick(f, [
        `Did you know? Getting ${f.subject ?? 'our craft'} right comes down to a few things most people overlook.`,
        `${capFirst(f.subject ?? 'our craft')} can feel complicated. It doesn't have to be.`,
      ]),
      body: [
        f.otherKeywords.length
          ? `At ${f.name}, we work with ${EN.list(f.otherKeywords)} every day, and one lesson keeps coming back: small, consistent choices make the biggest difference.`
          : `At ${f.name}, we see it every day: small, consistent choices make the biggest difference.`,
        'Start with the basics, stay curious, and never be afraid to ask questions.',
      ],
      closer: `We'll keep sharing what we learn along the way.`,
      cta: f.linkable && f.site ? `Learn more at ${f.site}` : `Save this post and follow ${f.name} for more insights.`,
    }),
    promotional: (f) => ({
      hook: f.subject
        ? pick(f, [
            f.topic
              ? `Say hello to ${f.topic}${f.bang}`
              : `Looking for ${f.subject}? You're in the right place${f.bang}`,
            `${capFirst(f.subject)}, the ${f.name} way${f.bang}`,
          ])
        : `Say hello to ${f.name}${f.bang}`,
      body: [
        f.otherKeywords.length
          ? `Everything we do at ${f.name} is built around ${EN.list(f.otherKeywords)}.`
          : `Everything we do at ${f.name} is built around one thing: you.`,
        'Made with care, and designed to make your day a little better.',
      ],
      cta: promoCta(
        f,
        'Discover more at',
        'Tap the link in our bio to find out more.',
        'Send us a message to find out more.',
      ),
    }),
    engagement: (f) => ({
      hook: pick(f, [
        `Quick question: what do you love most about ${f.subject ?? f.name}?`,
        `We want to hear from you${f.bang} When it comes to ${f.subject ?? f.name}, what matters most to you?`,
      ]),
      body: [
        f.otherKeywords.length >= 2
          ? `Is it ${EN.listOr(f.otherKeywords)}? Or something else entirely?`
          : 'There are no wrong answers, and we read every single one.',
      ],
      closer: `Your answers help ${f.name} create more of what you love.`,
      cta: `Tell us in the comments${f.bang}`,
    }),
    storytelling: (f) => ({
      hook: f.topic
        ? `Here's the story behind ${f.topic}.`
        : pick(f, [
            `Ever wondered what happens behind the scenes at ${f.name}?`,
            `Every brand has a story. Here's a little of ours.`,
          ]),
      body: [
        f.mission
          ? `It started with a simple idea: ${lowerFirst(sentence(f.mission))}`
          : `It started with a simple idea: ${f.subject ?? 'every detail'} deserves real care.`,
        f.keywords.length >= 2
          ? `Today, that idea shapes everything we do, from ${f.keywords[0]} to ${f.keywords[1]}.`
          : 'Today, that idea still shapes everything we do.',
        'Behind everything we share is a team that genuinely cares.',
      ],
      cta: 'Follow along for more behind-the-scenes moments.',
      usesMission: Boolean(f.mission),
    }),
    announcement: (f) => ({
      hook: f.topic
        ? pick(f, [`Big news: ${f.topic}${f.bang}`, `We're excited to share some news: ${f.topic}.`])
        : pick(f, [`Big news from ${f.name}${f.bang}`, `We have something exciting to share${f.bang}`]),
      body: [
        'This is a big step for us, and for everyone who has been with us along the way.',
        ...(f.keywords.length ? [`As always, it's all about ${EN.list(f.keywords)}.`] : []),
      ],
      closer: 'Thank you for being part of the journey.',
      cta:
        f.linkable && f.site ? `Find all the details at ${f.site}` : `Follow ${f.name} so you don't miss what's next.`,
    }),
    tips: (f) => ({
      hook: f.subject
        ? pick(f, [
            `Want better results with ${f.subject}? Start here:`,
            `A few quick tips on ${f.subject}, from the ${f.name} team:`,
          ])
        : `A few quick tips from the ${f.name} team:`,
      bullets: true,
      body: [
        'Get the basics right before anything else.',
        f.otherKeywords[0]
          ? `Make ${f.otherKeywords[0]} a priority, not an afterthought.`
          : 'Keep it simple: small steps beat big overhauls.',
        f.otherKeywords[1]
          ? `Don't underestimate ${f.otherKeywords[1]}. It makes a real difference.`
          : 'Be consistent. Results build up over time.',
      ],
      closer: 'Which one will you try first?',
      cta: 'Save this for later and share it with someone who needs it.',
    }),
    // No invented quotes or reviews: the post celebrates customers without putting words in their mouths.
    testimonial: (f) => ({
      hook: pick(f, [
        'Nothing means more to us than hearing from the people we work for.',
        'Your stories are the reason we do what we do.',
      ]),
      body: [
        `Every kind word about ${f.topic ?? (f.keywords.length ? EN.list(f.keywords) : 'our work')} reminds us why ${f.name} exists.`,
        'Thank you for trusting us, recommending us and growing with us.',
      ],
      cta: `Have a ${f.name} story? Share it in the comments. We'd love to feature it${f.bang}`,
    }),
    // No clock: the season comes from the topic ("Christmas", "summer sale") or stays generic.
    seasonal: (f) => ({
      hook: f.topic
        ? pick(f, [`${capFirst(f.topic)} is here${f.bang}`, `Celebrating ${f.topic} with all of you${f.bang}`])
        : pick(f, [
            `A new season is here, and so are new reasons to celebrate${f.bang}`,
            'This season is all about the little things.',
          ]),
      body: [
        f.keywords.length
          ? `At ${f.name}, we're marking the moment the way we know best: with ${EN.list(f.keywords)}.`
          : `At ${f.name}, we're marking the moment with the people who make it special: you.`,
        'Whatever your plans are, we hope the season brings you something to smile about.',
      ],
      closer: `Warm wishes from all of us at ${f.name}.`,
      cta:
        f.linkable && f.site
          ? `See what's new this season at ${f.site}`
          : `Tell us your favourite seasonal tradition in the comments${f.bang}`,
    }),
    trending: (f) => ({
      hook: f.subject
        ? pick(f, [
            `Everyone's talking about ${f.subject}, so here's our take.`,
            `${capFirst(f.subject)} is everywhere right now. Here's how we see it.`,
          ])
        : `Trends come and go. Here's what stays the same at ${f.name}.`,
      body: [
        f.otherKeywords.length
          ? `At ${f.name}, we care less about hype and more about what lasts: ${EN.list(f.otherKeywords)}.`
          : `At ${f.name}, we care less about hype and more about what lasts.`,
        "We'll keep watching what's new and sharing what's actually worth your time.",
      ],
      cta: `What's your take? Join the conversation below.`,
    }),
  },
};
