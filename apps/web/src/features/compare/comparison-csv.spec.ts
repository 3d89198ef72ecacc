import { comparison } from '../../../test/comparison-fixtures';
import { comparisonCsv, comparisonCsvName } from './comparison-csv';
import { heatRows, sortRows, TREE_ORDER } from './heatmap';

const names = (csv: string) =>
  csv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[3]);

describe('comparison CSV of what is on screen', () => {
  it('follows the on-screen order, sorted or not', () => {
    const view = comparison();
    const sorted = sortRows(heatRows(view), { key: 'psych_safety', dir: 'asc' });
    expect(
      names(
        comparisonCsv(
          view,
          sorted.map((r) => r.id),
        ),
      ),
    ).toEqual(sorted.map((r) => r.name));
    expect(
      names(
        comparisonCsv(
          view,
          sorted.map((r) => r.id),
        ),
      ),
    ).toEqual(['Product', 'Alpha', 'Middle', 'Zeta', 'Payments', 'Tiny']);
    const tree = sortRows(heatRows(view), TREE_ORDER).map((r) => r.id);
    expect(names(comparisonCsv(view, tree))).toEqual(view.rows.map((r) => r.name));
  });

  it('holds only the rows on screen, and suppressed cells carry no number', () => {
    const view = comparison();
    const csv = comparisonCsv(view, ['t-tiny', 'g-sub', 'no-such-row']);
    expect(csv).toBe(
      'period,instrument,kind,name,depth,dimension,status,n,participation_rate,mean,lower_95,upper_95,difference_vs_rest,p,bh_q,flag\n' +
        '2025-03,psych-safety,team,Tiny,1,psych_safety,suppressed:below-k,,,,,,,,,\n' +
        '2025-03,psych-safety,group,Payments,1,psych_safety,suppressed:would-reveal,,,,,,,,,\n',
    );
  });

  it('quotes commas and quotes, and defuses spreadsheet formulas in names', () => {
    const view = comparison();
    view.rows[2] = { ...view.rows[2]!, name: '=HYPERLINK("x"), team' };
    const line = comparisonCsv(view, ['t-zeta']).split('\n')[1]!;
    expect(line.startsWith('2025-03,psych-safety,team,"\'=HYPERLINK(""x""), team",2,')).toBe(true);
  });

  it('names the file after the group, survey, month and order', () => {
    expect(comparisonCsvName(comparison(), { key: 'name', dir: 'asc' })).toBe(
      'product-psych-safety-2025-03-by-name-asc.csv',
    );
  });
});
