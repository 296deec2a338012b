/** A piece of general advice as a point scene: its title card, its sentences from richest to plainest, its extras. */
export interface Advice {
  title: string;
  cores: [string, string];
  extras: [string, string];
}

/**
 * General advice that fits any topic, for long videos whose brand facts run out: no facts, nothing invented. Ends
 * with a nudge to start, which leads into the call to action.
 */
export const ADVICE: Advice[] = [
  {
    title: 'Keep it simple',
    cores: [
      'Keep it simple. One clear step beats ten half-finished ideas.',
      'Keep it simple: one clear step at a time.',
    ],
    extras: ['Simple is easier to repeat, and repetition is what builds results.', 'When in doubt, leave it out.'],
  },
  {
    title: 'Be consistent',
    cores: [
      'Be consistent. Small steps, repeated, add up faster than you think.',
      'Be consistent: small steps add up.',
    ],
    extras: ['Consistency beats intensity, every time.', 'A little every day goes further than a lot once in a while.'],
  },
  {
    title: 'Ask why',
    cores: [
      'Ask questions. The best results come from understanding why, not just how.',
      'Ask questions, and understand the why.',
    ],
    extras: [
      'Curiosity is the shortcut most people miss.',
      'Once you know why something works, you can make it work again.',
    ],
  },
  {
    title: 'Quality over quantity',
    cores: [
      'Focus on quality over quantity. Fewer, better choices go further.',
      'Choose quality over quantity, always.',
    ],
    extras: ['It is easier to be proud of fewer, better things.', 'Choose what lasts, not what is loudest.'],
  },
  {
    title: 'Learn as you go',
    cores: [
      'Learn as you go. Every attempt teaches you something for the next one.',
      'Learn as you go, one attempt at a time.',
    ],
    extras: ['Notice what works, and do more of it.', 'Mistakes are lessons you have already paid for.'],
  },
  {
    title: 'Basics first',
    cores: [
      'Get the basics right before anything else. They carry more weight than any trick.',
      'Get the basics right before anything else.',
    ],
    extras: ['The fancy extras can wait.', 'Strong foundations make every next step easier.'],
  },
  {
    title: 'Plan ahead',
    cores: [
      'Plan ahead. A few minutes of preparation saves a lot of rushing later.',
      'Plan ahead, even just a little.',
    ],
    extras: ['Know your next step before you need it.', 'Preparation turns pressure into routine.'],
  },
  {
    title: 'Make time for it',
    cores: [
      'Make time for it. Even a few minutes, set aside on purpose, changes the outcome.',
      'Make time for it, on purpose.',
    ],
    extras: ['Put it in your calendar, and protect it.', 'What gets scheduled gets done.'],
  },
  {
    title: 'One change at a time',
    cores: [
      'Change one thing at a time. That way you know what made the difference.',
      'Change just one thing at a time.',
    ],
    extras: ['Small experiments teach the most.', 'Then keep what works.'],
  },
  {
    title: 'Measure what matters',
    cores: [
      'Measure what matters. Pick one sign of progress and keep an eye on it.',
      'Measure what matters, and watch it.',
    ],
    extras: ['What gets noticed gets better.', 'One number, checked regularly, is enough.'],
  },
  {
    title: 'Listen to feedback',
    cores: ['Listen to feedback. The people around you often see what you miss.', 'Listen to honest feedback, always.'],
    extras: ['Take what helps, and let the rest go.', 'Every comment is a clue.'],
  },
  {
    title: 'Use tools that fit',
    cores: ['Use tools that fit you. The right tool makes good work feel easy.', 'Use tools that really fit you.'],
    extras: ['They do not have to be expensive, just right for the job.', 'Look after them, and they look after you.'],
  },
  {
    title: 'Write it down',
    cores: ['Write it down. Notes turn a good moment into one you can repeat.', 'Write down what works for you.'],
    extras: ['Your future self will thank you.', 'A short note is enough.'],
  },
  {
    title: 'Share what works',
    cores: [
      'Share what works. Passing on a good idea helps others, and helps you remember it.',
      'Share what works with others.',
    ],
    extras: ['Good ideas grow when they are passed on.', 'Teaching something is the best way to learn it.'],
  },
  {
    title: 'Ask for help',
    cores: ['Ask for help when you need it. Nobody gets there alone.', 'Ask for help when you need it.'],
    extras: ['There is always someone who has been there before.', 'A short conversation can save a long detour.'],
  },
  {
    title: 'Stay open',
    cores: [
      'Stay open to new ideas. Sometimes the best approach is one you have not tried yet.',
      'Stay open to new ideas.',
    ],
    extras: ['Habits are useful, until they are not.', 'A fresh look can change everything.'],
  },
  {
    title: 'Take a break',
    cores: ['Take a break when you need one. Fresh eyes do better work.', 'Take a break when you need one.'],
    extras: ['Rest is part of the work, not a pause from it.', 'Come back, and it often looks simpler.'],
  },
  {
    title: 'Stay patient',
    cores: ['Stay patient. Real improvement takes a little time to show.', 'Stay patient: improvement takes time.'],
    extras: ['Give it a few weeks before you judge.', 'Good things build up quietly, then show all at once.'],
  },
  {
    title: 'Keep learning',
    cores: ['Keep learning. There is always a next level, and that is the fun part.', 'Keep learning, step by step.'],
    extras: ['Read, watch, try, repeat.', 'Every expert started as a beginner.'],
  },
  {
    title: 'Celebrate progress',
    cores: ['Celebrate progress, not just results. Every step forward counts.', 'Celebrate every step forward.'],
    extras: ['Looking back shows how far you have come.', 'It keeps the motivation going.'],
  },
  {
    title: 'Enjoy the process',
    cores: ['Enjoy the process. What you enjoy, you keep doing.', 'Enjoy the process along the way.'],
    extras: ['And what you keep doing, you get good at.', 'Make it something you look forward to.'],
  },
  {
    title: 'Start today',
    cores: ['Start today. The best moment to begin is usually now.', 'Start today, not someday.'],
    extras: ['Waiting for perfect keeps you waiting.', 'The first step is the hardest, and the shortest.'],
  },
];
