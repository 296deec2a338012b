/** Valid answers to the diagnosis questionnaire, built from its definition so they follow it as it changes. */
import { QUESTIONNAIRE, type Answers, type Question, type StepId } from '../../lib/diagnosis/questionnaire';

/**
 * `strength` 0..1 picks how good the answers are: scale value, the option at that position of the list (options are
 * ordered worst to best in the questionnaire), and text long enough to count as complete when ≥ 0.5.
 */
export function answerFor(q: Question, strength = 0.75): Answers[string] {
  switch (q.type) {
    case 'scale':
      return Math.round(q.min + (q.max - q.min) * strength);
    case 'choice': {
      const plain = q.options.filter((o) => !o.exclusive);
      const pick = plain[Math.min(plain.length - 1, Math.round((plain.length - 1) * strength))];
      return q.multiple ? [pick.id] : pick.id;
    }
    case 'text': {
      const words = strength >= 0.5 ? q.idealWords : Math.max(3, Math.round(q.idealWords / 4));
      const text = Array.from({ length: words }, (_, i) => `word${i}`).join(' ');
      return text.padEnd(q.minLength, '.').slice(0, q.maxLength);
    }
  }
}

export function stepAnswers(step: StepId, strength = 0.75): Answers {
  const s = QUESTIONNAIRE.find((x) => x.id === step)!;
  return Object.fromEntries(s.questions.map((q) => [q.id, answerFor(q, strength)]));
}

/** Per-step strength, so a test can make one dimension weak. */
export function allAnswers(strength: Partial<Record<StepId, number>> = {}): Record<StepId, Answers> {
  return Object.fromEntries(QUESTIONNAIRE.map((s) => [s.id, stepAnswers(s.id, strength[s.id] ?? 0.75)])) as Record<
    StepId,
    Answers
  >;
}
