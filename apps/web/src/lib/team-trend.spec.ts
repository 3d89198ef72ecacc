import { teamTrendQuery, trendPath } from './team-trend';

describe('team trend query', () => {
  it('builds the API path with the team id escaped and the instrument as a query parameter', () => {
    expect(trendPath('t-1', 'psych-safety')).toBe('/teams/t-1/trend?instrument=psych-safety');
    expect(trendPath('a/b c', 'trust-equation')).toBe('/teams/a%2Fb%20c/trend?instrument=trust-equation');
  });

  it('keys the cache by team and instrument, so the loader and the page share one entry', () => {
    const a = teamTrendQuery('t-1', 'psych-safety');
    expect(a.queryKey).toEqual(['teams', 't-1', 'trend', 'psych-safety']);
    expect(teamTrendQuery('t-1', 'psych-safety').queryKey).toEqual(a.queryKey);
    expect(teamTrendQuery('t-1', 'trust-equation').queryKey).not.toEqual(a.queryKey);
    expect(a.staleTime).toBe(60_000);
  });
});
