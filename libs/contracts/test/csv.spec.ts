import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { toCsv, type CsvValue } from '@candor/contracts';

const one = (value: CsvValue) => toCsv([[value]]);

describe('toCsv', () => {
  it('ends every row with \\n and separates cells with commas', () => {
    expect(toCsv([['a', 'b'], ['c', 'd'], []])).toBe('a,b\nc,d\n\n');
    expect(toCsv([])).toBe('');
  });

  it('writes null as an empty cell, and the empty string as empty too', () => {
    expect(toCsv([[null, 'x', null]])).toBe(',x,\n');
    expect(one('')).toBe('\n');
  });

  it('writes numbers as JavaScript does, negative ones without a formula prefix', () => {
    expect(toCsv([[0, -0, 4.25, -0.6, 1e-7, 2e21, NaN, Infinity]])).toBe(
      '0,0,4.25,-0.6,1e-7,2e+21,NaN,Infinity\n',
    );
  });

  it.each([
    ['=1+2', "'=1+2"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['-', "'-"],
  ])('prefixes text that starts like a formula: %j', (value, expected) => {
    expect(one(value)).toBe(`${expected}\n`);
  });

  it('prefixes a leading CR and then quotes the cell, since it holds a CR', () => {
    expect(one('\r=1')).toBe(`"'\r=1"\n`);
  });

  it('leaves text alone when the formula sign is not first', () => {
    expect(one('a=1')).toBe('a=1\n');
    expect(one(' =1')).toBe(' =1\n');
    expect(one("'=1")).toBe("'=1\n");
  });

  it('quotes text with a quote, comma, CR or LF, and doubles its quotes', () => {
    expect(one('say "hi"')).toBe('"say ""hi"""\n');
    expect(one('a,b')).toBe('"a,b"\n');
    expect(one('a\nb')).toBe('"a\nb"\n');
    expect(one('a\r\nb')).toBe('"a\r\nb"\n');
    expect(one('"')).toBe('""""\n');
  });

  it('prefixes first, then quotes: a formula with a comma and quotes', () => {
    expect(one('=HYPERLINK("x"), team')).toBe(`"'=HYPERLINK(""x""), team"\n`);
  });

  it('quotes exactly as csv-stringify does (the library the API used before), on 5,000 random tables', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\n', '\r', "'", 'é', '=', '-'),
    });
    const value: fc.Arbitrary<CsvValue> = fc.oneof(text, fc.double(), fc.integer(), fc.constant(null));
    fc.assert(
      fc.property(fc.array(fc.array(value, { minLength: 1, maxLength: 6 }), { maxLength: 6 }), (rows) => {
        const prefixed = rows.map((r) =>
          r.map((v) => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v)),
        );
        const reference = stringify(prefixed, { cast: { number: (n) => String(n) } });
        expect(toCsv(rows)).toBe(reference);
      }),
      { numRuns: 5_000 },
    );
  });
});
