/** A concrete first step per rule: what turns the rule's one-line title into something a team can start on. */
export const FIRST_STEPS: Record<string, string> = {
  'identity.articulate-brand-platform':
    'Agree on one sentence the whole team uses for what the brand stands for, then derive the promise, values and personality from it.',
  'identity.write-brand-guidelines':
    'Collect logo files, colour codes, typefaces and three examples of the right tone of voice in one document everyone can reach.',
  'identity.align-visual-identity':
    'List every touchpoint (packaging, website, social profiles, trade-fair material) and fix those that use outdated logos, colours or fonts.',
  'identity.codify-values': 'Pick three to five values and write down, for each, one decision it has already shaped.',
  'identity.tell-brand-story': 'Plan a short series on the origin, the craft and the people behind the products.',
  'positioning.sharpen-value-proposition':
    'Write down what buyers compare the brand with and the one reason to choose it, in the customer’s own words.',
  'positioning.prove-differentiation':
    'Gather the proof that already exists (tests, certifications, customer results) and put it next to every claim.',
  'positioning.close-product-fit-gaps':
    'Ask recent customers which problem they bought for and where the products fall short of solving it.',
  'positioning.own-a-category-claim':
    'Choose the attribute the brand can credibly own and make it the first line of the website, catalogue and profiles.',
  'audience.define-target-segments':
    'Describe the best existing customers by sector, role, company size and need, and aim at their look-alikes.',
  'audience.build-buyer-personas':
    'Base each persona on at least three real conversations: goals, objections and where they look for information.',
  'audience.run-customer-research':
    'Schedule a handful of customer interviews each quarter and keep the notes in one shared place.',
  'audience.deepen-customer-insight':
    'Go through reviews, support questions and sales notes every month and update the personas with what changed.',
  'competition.map-competitors':
    'Start with the three competitors buyers mention most and compare offer, price, message and channels in one table.',
  'competition.set-up-market-monitoring':
    'Give one person the job of checking competitor launches, prices and search trends once a month.',
  'competition.clarify-market-position':
    'Estimate the size of the market and the brand’s share of it, even roughly, and state the position it aims for.',
  'competition.benchmark-quarterly': 'Repeat the competitor comparison every quarter and note what moved.',
  'content.define-content-pillars':
    'Pick three to five recurring themes that prove the brand promise and plan every piece under one of them.',
  'content.plan-editorial-calendar':
    'Plan a quarter ahead around launches, trade fairs and seasonal moments, with one owner per slot.',
  'content.raise-publishing-frequency':
    'Commit to a weekly slot on the priority channels and produce content a month ahead in batches.',
  'content.unify-tone-of-voice':
    'Write down the tone of voice with do and don’t examples, and build one template per channel.',
  'content.repurpose-best-performers':
    'Take the best-performing pieces of the last quarter and turn each into a short series in other formats.',
  'channels.focus-priority-channels':
    'Choose the two or three channels the target customer actually uses and pause the rest.',
  'channels.expand-channel-presence':
    'Add the owned channels that are missing, starting with website content and a newsletter.',
  'channels.map-customer-journey':
    'Ask customers where they looked before buying and check that the brand is present at each of those points.',
  'channels.grow-audience-reach':
    'Combine collaborations, a modest paid budget and search optimisation on the priority channels.',
  'channels.test-new-channel':
    'Pick one channel the brand does not use yet, set a success metric and run it for one quarter.',
  'performance.build-kpi-dashboard':
    'Put the few numbers that matter on one dashboard and review it together on a fixed date.',
  'performance.set-measurable-goals': 'Set three quarterly goals, each with a number, a deadline and an owner.',
  'performance.track-business-kpis':
    'Track enquiries, conversion and revenue from marketing alongside reach and followers.',
  'performance.review-monthly': 'Hold a monthly review of results and move time and budget to what worked.',
  'performance.reverse-declining-trend':
    'Compare the periods before and after the decline (posting rhythm, content, channels) to find the cause.',
  'performance.run-ab-tests':
    'Test one variable at a time (headline, format, timing) on the best channel and keep the winner.',
};
