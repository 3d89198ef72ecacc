import { AGREEMENT_LABELS, getInstrument } from '@candor/instruments';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  FakeCandorApi,
  demoUser,
  generateCycleKeys,
  openSurvey,
  type CycleKeys,
} from '../../../test/fake-api';
import { renderRoute } from '../../../test/render';
import SurveyPage from './SurveyPage';
import { loadAnswers, storageKey } from '../../lib/survey-storage';

jest.setTimeout(30_000);

const instrument = getInstrument('psych-safety@1');
const scope = { userId: demoUser.id, cycleId: 'cycle-1' };
let keys: CycleKeys;
let api: FakeCandorApi;

beforeAll(async () => {
  keys = await generateCycleKeys();
});

beforeEach(() => {
  api = new FakeCandorApi(keys);
  api.surveys = [openSurvey({ publicKeySpki: keys.publicKeySpki })];
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

const statement = (index: number) =>
  screen.getByRole('radiogroup', { name: new RegExp(escape(instrument.items[index]!.text)) });

function escape(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What Space or an arrow key does on a focused native radio: the browser checks it and fires change. */
function chooseWithKeyboard(radio: HTMLElement) {
  radio.focus();
  expect(radio).toHaveFocus();
  fireEvent.keyDown(radio, { key: ' ', code: 'Space' });
  fireEvent.click(radio);
  fireEvent.keyUp(radio, { key: ' ', code: 'Space' });
}

function answer(index: number, value: number) {
  chooseWithKeyboard(within(statement(index)).getByRole('radio', { name: AGREEMENT_LABELS[value - 1] }));
}

function answerAll(from = 0) {
  instrument.items.forEach((_item, index) => index >= from && answer(index, (index % 7) + 1));
}

const submitButton = () => screen.getByRole('button', { name: /submit anonymously|try again/i });

describe('SurveyPage', () => {
  it('takes the blind-signed token when the form opens, long before the answers go (issue 12)', async () => {
    renderSurvey();
    await screen.findByRole('heading', { level: 1 });
    await waitFor(
      () => expect(api.requests.some((r) => r.path === '/api/cycles/cycle-1/tokens')).toBe(true),
      {
        timeout: 10_000,
      },
    );
    expect(api.responses).toHaveLength(0);
    // Submitting later spends that token: no second token request.
    answerAll();
    fireEvent.click(submitButton());
    await waitFor(() => expect(api.responses).toHaveLength(1), { timeout: 10_000 });
    expect(api.requests.filter((r) => r.path === '/api/cycles/cycle-1/tokens')).toHaveLength(1);
  });

  it('states k and exactly what is stored before any question', async () => {
    renderSurvey();
    const box = await screen.findByRole('complementary', { name: 'Before you answer' });
    expect(box).toHaveTextContent('Results are shown only when at least k = 5 people answer.');
    expect(box).toHaveTextContent(
      'your answers and the survey version (psych-safety@1). No name, no time, no IP address.',
    );
    expect(box).toHaveTextContent('even the server cannot link your answers to you');
    expect(screen.getByRole('heading', { level: 1, name: 'Psychological safety' })).toBeInTheDocument();
  });

  it('shows every statement as a keyboard-usable group of native radios labelled 1–7', async () => {
    renderSurvey();
    await screen.findByRole('heading', { level: 1 });
    const groups = screen.getAllByRole('radiogroup');
    expect(groups).toHaveLength(instrument.items.length);
    for (const group of groups) {
      expect(group.tagName).toBe('FIELDSET');
      const radios = within(group).getAllByRole('radio');
      expect(radios.map((r) => (r as HTMLInputElement).value)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
      radios.forEach((radio, i) => expect(radio).toHaveAccessibleName(AGREEMENT_LABELS[i]));
      // One name per group (arrow keys move within it), none taken out of the tab order.
      expect(new Set(radios.map((r) => (r as HTMLInputElement).name)).size).toBe(1);
      expect(radios.every((r) => r.tabIndex === 0 && r.tagName === 'INPUT')).toBe(true);
    }
    answer(0, 6);
    expect(within(statement(0)).getByRole('radio', { name: 'Agree' })).toBeChecked();
  });

  it('keeps submit disabled, with a count of what is left, until every statement is answered', async () => {
    renderSurvey();
    await screen.findByRole('heading', { level: 1 });
    expect(submitButton()).toBeDisabled();
    expect(screen.getByText('7 of 7 statements left to answer.')).toBeInTheDocument();
    answerAll(1);
    expect(submitButton()).toBeDisabled();
    expect(screen.getByText('1 of 7 statement left to answer.')).toBeInTheDocument();
    answer(0, 4);
    expect(submitButton()).toBeEnabled();
    expect(screen.getByText('All statements answered.')).toBeInTheDocument();
  });

  it('saves progress in this browser and restores it on a fresh mount', async () => {
    const first = renderSurvey();
    await screen.findByRole('heading', { level: 1 });
    answer(0, 2);
    answer(3, 7);
    expect(loadAnswers(window.localStorage, scope)).toEqual({ ps1: 2, ps4: 7 });
    first.unmount();

    renderSurvey();
    await screen.findByRole('heading', { level: 1 });
    expect(within(statement(0)).getByRole('radio', { name: 'Disagree' })).toBeChecked();
    expect(within(statement(3)).getByRole('radio', { name: 'Strongly agree' })).toBeChecked();
    expect(screen.getByText('5 of 7 statements left to answer.')).toBeInTheDocument();
  });

  it('ignores stored answers that are not on the scale', async () => {
    window.localStorage.setItem(storageKey(scope, 'answers'), JSON.stringify({ ps1: 9 }));
    renderSurvey();
    await screen.findByRole('heading', { level: 1 });
    expect(
      within(statement(0))
        .getAllByRole('radio')
        .some((r) => (r as HTMLInputElement).checked),
    ).toBe(false);
  });

  it('shows field errors from a 400 next to the statement they concern', async () => {
    api.respondNext(/responses/, 400, {
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION',
      message: 'Invalid answers',
      fields: { 'answers.ps3': ['must be a whole number from 1 to 7'] },
    });
    renderSurvey();
    await screen.findByRole('heading', { level: 1 });
    answerAll();
    fireEvent.click(submitButton());

    expect(await screen.findByRole('alert', {}, { timeout: 10_000 })).toHaveTextContent(
      '1 answer needs attention. Nothing was recorded yet.',
    );
    const third = statement(2);
    expect(third).toHaveAttribute('aria-invalid', 'true');
    expect(third).toHaveAccessibleDescription('Must be a whole number from 1 to 7');
    expect(statement(1)).not.toHaveAttribute('aria-invalid');
    expect(api.responses).toHaveLength(0);

    // Changing the answer clears its error; the retry goes through with the same token.
    answer(2, 5);
    expect(statement(2)).not.toHaveAttribute('aria-invalid');
    fireEvent.click(submitButton());
    expect(
      await screen.findByRole('heading', { name: 'Received — thank you' }, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(api.responses).toHaveLength(1);
    // Both tries carried one token, and nothing else was signed for it.
    const tries = api.requests.filter((r) => r.path === '/api/responses');
    expect(tries).toHaveLength(2);
    const [first, retry] = tries.map((r) => (r.body as { token: string }).token);
    expect(retry).toBe(first);
    expect(api.signedMessages).toBeLessThanOrEqual(1);
  });

  it('submits anonymously and shows the receipt with a link to the team results', async () => {
    renderSurvey();
    await screen.findByRole('heading', { level: 1 });
    answerAll();
    fireEvent.click(submitButton());

    const heading = await screen.findByRole('heading', { name: 'Received — thank you' }, { timeout: 10_000 });
    expect(heading).toHaveFocus();
    expect(screen.getByText('receipt-1')).toBeInTheDocument();
    expect(screen.queryByText(/\d{1,2}:\d{2}/)).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'See Platform’s results' })).toHaveAttribute(
      'href',
      '/teams/team-1',
    );
    expect(api.responses).toEqual([{ ps1: 1, ps2: 2, ps3: 3, ps4: 4, ps5: 5, ps6: 6, ps7: 7 }]);
    // Answers are gone from the browser once received; the receipt stays.
    expect(window.localStorage.getItem(storageKey(scope, 'answers'))).toBeNull();
    expect(window.localStorage.getItem(storageKey(scope, 'receipt'))).toContain('receipt-1');
  });

  it('after a dropped connection keeps everything and a retry counts once', async () => {
    api.failNext(/responses/, 'drop-after');
    renderSurvey();
    await screen.findByRole('heading', { level: 1 });
    answerAll();
    fireEvent.click(submitButton());

    expect(await screen.findByRole('alert', {}, { timeout: 10_000 })).toHaveTextContent(
      'Your answers and your anonymous token are saved in this browser',
    );
    expect(screen.getByRole('button', { name: 'Try again' })).toBeEnabled();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    });
    expect(
      await screen.findByRole('heading', { name: 'Received — thank you' }, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(api.responses).toHaveLength(1);
  });

  it('explains and blocks when the token was already taken in another browser', async () => {
    api.surveys = [openSurvey({ publicKeySpki: keys.publicKeySpki, tokenIssued: true })];
    renderSurvey();
    expect(await screen.findByRole('alert')).toHaveTextContent(/already collected your anonymous token/);
    screen.getAllByRole('radio').forEach((radio) => expect(radio).toBeDisabled());
    expect(submitButton()).toBeDisabled();
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('shows the stored receipt instead of the form once answered', async () => {
    window.localStorage.setItem(
      storageKey(scope, 'receipt'),
      JSON.stringify({
        receipt: {
          receiptId: 'r-42',
          cycleId: 'cycle-1',
          instrument: 'psych-safety@1',
          replayed: false,
          teamId: 'team-1',
        },
        keptEarlierAnswers: false,
      }),
    );
    renderSurvey();
    expect(await screen.findByText('r-42')).toBeInTheDocument();
    expect(screen.queryAllByRole('radiogroup')).toHaveLength(0);
  });

  it('says when the survey is not open for this person', async () => {
    api.surveys = [];
    renderSurvey();
    expect(await screen.findByText('This survey is not open for you')).toBeInTheDocument();
  });
});
