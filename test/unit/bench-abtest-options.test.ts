/** Phase 7's options: defaults, flags over the environment, and the events request's own limit. No stack. */
import { parseOptions } from '../../bench/options';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseOptions(argv, env, '/tmp/results')!;

describe('A/B bench options', () => {
  it('defaults to 2,000 assignments and 40 batches of 100 events a mode', () => {
    expect(parse([])).toMatchObject({ abAssignments: 2000, abEventBatches: 40, abBatchSize: 100 });
    expect(parse([]).phases).toContain('abtest');
    expect(parse(['--only', 'abtest']).phases).toEqual(['abtest']);
  });

  it('takes counts from flags over the environment', () => {
    const env = { BENCH_AB_ASSIGNMENTS: '300', BENCH_AB_BATCH_SIZE: '50' };
    expect(parse(['--ab-event-batches', '6'], env)).toMatchObject({
      abAssignments: 300,
      abEventBatches: 6,
      abBatchSize: 50,
    });
  });

  it('refuses batches larger than an events request takes', () => {
    expect(() => parse(['--ab-batch-size', '501'])).toThrow(/events request \(500\)/);
  });
});
