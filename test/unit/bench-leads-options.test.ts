/** Phase 5's options: defaults, flags over the environment, and the batch's own limits. No stack. */
import { parseOptions, UsageError } from '../../bench/options';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseOptions(argv, env, '/tmp/results')!;

describe('lead options', () => {
  it('defaults to batches of 40 leads, 1 against 8 in flight, 2 rounds', () => {
    expect(parse([])).toMatchObject({ leadCount: 40, leadParallel: 8, leadRounds: 2 });
    expect(parse([]).phases).toContain('leads');
    expect(parse(['--only', 'leads']).phases).toEqual(['leads']);
  });

  it('takes counts from flags over the environment', () => {
    const env = { BENCH_LEAD_COUNT: '12', BENCH_LEAD_PARALLEL: '4', BENCH_LEAD_ROUNDS: '3' };
    expect(parse([], env)).toMatchObject({ leadCount: 12, leadParallel: 4, leadRounds: 3 });
    expect(parse(['--lead-count', '8', '--lead-rounds', '1'], env)).toMatchObject({
      leadCount: 8,
      leadParallel: 4,
      leadRounds: 1,
    });
  });

  it('refuses what a batch would refuse, and a "parallel" mode of one', () => {
    expect(() => parse(['--lead-parallel', '17'])).toThrow(/concurrency limit \(16\)/);
    expect(() => parse(['--lead-count', '501'])).toThrow(/ids one request names \(500\)/);
    expect(() => parse(['--lead-parallel', '1'])).toThrow(UsageError);
  });
});
