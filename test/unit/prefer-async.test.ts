/** RFC 7240 `Prefer` parsing for asynchronous POST /runs: respond-async among other preferences and parameters. */
import { prefersAsync } from '../../api/routes/runs.routes';

describe('prefersAsync', () => {
  it.each([
    ['respond-async', true],
    ['Respond-Async', true],
    ['return=minimal, respond-async; wait=10', true],
    ['respond-async;wait=5,handling=lenient', true],
    [undefined, false],
    ['', false],
    ['return=representation', false],
    ['respond-asynchronously', false],
    ['wait=respond-async', false],
  ])('%s → %s', (header, expected) => {
    expect(prefersAsync(header)).toBe(expected);
  });
});
