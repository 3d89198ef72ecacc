import { AGREEMENT_LABELS, getInstrument } from '@candor/instruments';
import { fireEvent, screen, within } from '@testing-library/react';
import type { SubmitCommentRequest, SubmitResponseRequest } from '@candor/contracts';
import {
  FakeCandorApi,
  demoUser,
  generateCycleKeys,
  openSurvey,
  type CycleKeys,
} from '../../../test/fake-api';
import { renderRoute } from '../../../test/render';
import SurveyPage from './SurveyPage';
import { loadThreads, secretHash } from '../../lib/thread-storage';

jest.setTimeout(30_000);

const instrument = getInstrument('psych-safety@1');
let keys: CycleKeys;
let api: FakeCandorApi;

beforeAll(async () => {
  keys = await generateCycleKeys();
});

beforeEach(() => {
  window.localStorage.clear();
  api = new FakeCandorApi(keys);
  api.surveys = [openSurvey({ publicKeySpki: keys.publicKeySpki, kComments: 6 })];
  globalThis.fetch = jest.fn(api.fetch);
  globalThis.requestAnimationFrame = (callback: FrameRequestCallback) =>
    window.setTimeout(() => callback(0), 0);
});

function renderSurvey() {
  return renderRoute(<SurveyPage />, {
    url: '/surveys/cycle-1',
    path: '/surveys/:cycleId',
    user: demoUser,
    routes: [{ path: '/teams/:teamId', element: <p>Team results page</p> }],
  });
}

function answerAll() {
  for (const [i] of instrument.items.entries()) {
    const group = screen.getAllByRole('radiogroup')[i]!;
    fireEvent.click(within(group).getByRole('radio', { name: AGREEMENT_LABELS[4] }));
  }
}

describe('the comment box on the survey', () => {
  it('says who reads it, when and k_comments, and flags what could identify the writer', async () => {
    renderSurvey();
    const box = await screen.findByRole('group', { name: 'Optional: a comment' });
    expect(box).toHaveTextContent('the team’s leads only');
    expect(box).toHaveTextContent('only if at least 6 people took part');
    expect(box).toHaveTextContent('Your wording, the details you mention and your style can identify you.');
    const field = within(box).getByRole('textbox', { name: instrument.openQuestion });
    const first = demoUser.name.split(' ')[0]!;
    fireEvent.change(field, { target: { value: `${first} says: call 0171 555 0199 or mail x@example.org` } });
    const warning = within(box).getByRole('status');
    expect(warning).toHaveTextContent('an e-mail address: “x@example.org”');
    expect(warning).toHaveTextContent('a phone number: “0171 555 0199”');
    expect(warning).toHaveTextContent(`a name: “${first}”`);
  });

  it("flags names from the team's roster, which it asks for signed in, before anything is sent", async () => {
    api.fixtures['GET /api/teams/team-1/roster-names'] = {
      teamId: 'team-1',
      names: ['Dana Whitfield', 'Li Wei', demoUser.name],
    };
    renderSurvey();
    const box = await screen.findByRole('group', { name: 'Optional: a comment' });
    const field = within(box).getByRole('textbox', { name: instrument.openQuestion });
    fireEvent.change(field, { target: { value: 'When dana covered the release, Li and WEI stayed late.' } });
    const warning = await within(box).findByRole('status');
    expect(warning).toHaveTextContent('a name: “Dana”');
    expect(warning).toHaveTextContent('a name: “Wei”');
    // Words shorter than three letters are not matched (too many false alarms).
    expect(warning).not.toHaveTextContent('“Li”');
    // Only the roster request: the text itself never leaves the browser to be checked.
    const roster = api.requests.find((r) => r.path === '/api/teams/team-1/roster-names');
    expect(roster?.method).toBe('GET');
    expect(api.requests.filter((r) => JSON.stringify(r.body ?? '').includes('dana'))).toEqual([]);
  });

  it('still flags the writer’s own name when the roster cannot be loaded', async () => {
    api.respondNext(/^GET \/api\/teams\/team-1\/roster-names$/, 403, {
      statusCode: 403,
      error: 'Forbidden',
      code: 'team_access_denied',
      message: 'Only the members of this team can see its names',
    });
    renderSurvey();
    const box = await screen.findByRole('group', { name: 'Optional: a comment' });
    const first = demoUser.name.split(' ')[0]!;
    fireEvent.change(within(box).getByRole('textbox'), { target: { value: `${first} again` } });
    expect(within(box).getByRole('status')).toHaveTextContent(`a name: “${first}”`);
  });

  it('sends the comment with the same token and no credentials, only the hash of a secret it keeps; a retry resends the same', async () => {
    renderSurvey();
    const box = await screen.findByRole('group', { name: 'Optional: a comment' });
    answerAll();
    fireEvent.change(within(box).getByRole('textbox'), { target: { value: 'Standups run long.' } });
    api.respondNext(/^POST \/api\/comments$/, 503, {
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'sealing_key_unavailable',
      message: 'Comments cannot be stored safely right now; try again later',
    });
    fireEvent.click(screen.getByRole('button', { name: /Submit anonymously/ }));
    await screen.findByRole('button', { name: 'Try again' }, { timeout: 10_000 });
    api.respondNext(/^POST \/api\/comments$/, 201, { cycleId: 'cycle-1', replayed: false });
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByRole('heading', { name: 'Received — thank you' }, { timeout: 10_000 });

    const comments = api.requests.filter((r) => r.method === 'POST' && r.path === '/api/comments');
    const response = api.requests.find((r) => r.method === 'POST' && r.path === '/api/responses')!;
    expect(comments).toHaveLength(2);
    const [first, second] = comments.map((r) => r.body as SubmitCommentRequest);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ cycleId: 'cycle-1', text: 'Standups run long.' });
    const submitted = response.body as SubmitResponseRequest;
    expect([first!.token, first!.signature]).toEqual([submitted.token, submitted.signature]);
    for (const r of comments) {
      expect(r.init.credentials).toBe('omit');
      expect(r.init.referrerPolicy).toBe('no-referrer');
      expect(JSON.stringify(r.init.headers ?? {})).not.toMatch(/authorization/i);
    }
    const threads = loadThreads(window.localStorage, demoUser.id);
    expect(threads).toHaveLength(1);
    expect(await secretHash(threads[0]!.secret)).toBe(first!.replyHash);
    expect(JSON.stringify(api.requests.map((r) => r.body))).not.toContain(threads[0]!.secret);
  });
});
