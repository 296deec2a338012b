import { isPeriod, parseKpiCsv } from '../../api/services/kpi.service';
import { ValidationError } from '../../lib/errors';

describe('KPI periods', () => {
  it('are calendar dates from 1900 to 9999', () => {
    for (const ok of ['1900-01-01', '2026-01-05', '2024-02-29', '9999-12-31']) expect(isPeriod(ok)).toBe(true);
    for (const bad of [
      '0000-01-01',
      '0001-01-01',
      '1899-12-31',
      '2026-02-30',
      '2025-02-29',
      '10000-01-01',
      '2026-1-5',
      '',
    ])
      expect(isPeriod(bad)).toBe(false);
  });

  it('a CSV row with year 0 is named, and nothing is imported', () => {
    try {
      parseKpiCsv('period,views\n2026-01-05,1\n0000-01-01,2\n');
      throw new Error('not refused');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).errors).toEqual([
        { field: 'row 3.period', message: 'must be a date YYYY-MM-DD from 1900 to 9999' },
      ]);
    }
  });
});
