/**
 * The pulse form: every statement on one page, progress kept in this browser, and the anonymous
 * submission (blind-token.ts) behind the submit button.
 */
import { Link } from 'react-router';
import type { OpenSurvey } from '@candor/contracts';
import { itemText, validateAnswers, type Answers, type Instrument } from '@candor/instruments';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { CommentBox } from './CommentBox';
import { useCurrentUser } from '../../lib/current-user';
import { ApiError, NetworkError } from '../../lib/api-client';
import { formatDateTime } from '../../lib/format';
import { StorageUnavailableError, browserStorage } from '../../lib/storage';
import { openSurveysQueryKey } from '../../lib/open-surveys';
import {
  AnswersAlreadyRecordedError,
  CycleClosedError,
  InvalidSignatureError,
  TokenTakenElsewhereError,
  prepareToken,
  submitAnonymously,
  type SubmissionStep,
} from './blind-token';
import { LikertItem } from './LikertItem';
import { surveyIntro, surveyTitle } from '../../lib/survey-text';
import {
  loadAnswers,
  loadTokenState,
  saveAnswers,
  type StoredReceipt,
  type SurveyScope,
} from '../../lib/survey-storage';

const STEP_TEXT: Record<SubmissionStep, string> = {
  blind: 'Preparing your anonymous token…',
  issue: 'Getting your token blind-signed…',
  submit: 'Sending your answers…',
};

interface FormProblem {
  message: string;
  /** False when trying again cannot help (closed cycle, token taken elsewhere). */
  retryable: boolean;
  /** Field errors from the server that are not about a single statement. */
  details?: string[];
}

export interface SurveyFormProps {
  survey: OpenSurvey;
  instrument: Instrument;
  scope: SurveyScope;
  onSubmitted: (stored: StoredReceipt) => void;
}

export function SurveyForm({ survey, instrument, scope, onSubmitted }: SurveyFormProps) {
  const queryClient = useQueryClient();
  const [storage] = useState(browserStorage);
  const [answers, setAnswers] = useState<Answers>(() =>
    restoreAnswers(instrument, loadAnswers(storage, scope)),
  );
  const [hasPendingToken] = useState(() => loadTokenState(storage, scope) !== null);
  const [step, setStep] = useState<SubmissionStep | null>(null);
  const [itemErrors, setItemErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<FormProblem | null>(() =>
    survey.tokenIssued && !hasPendingToken
      ? { message: new TokenTakenElsewhereError().message, retryable: false }
      : null,
  );
  const problemRef = useRef<HTMLDivElement>(null);
  const user = useCurrentUser();
  const [comment, setComment] = useState('');

  // Take the token when the form opens, not when the answers go (issue 12: the two requests are
  // then apart by the time spent answering). A submission waits for it (blind-token.ts), so the
  // two never race for a token; if it failed, the submission takes the same steps and reports.
  const tokenTakenElsewhere = survey.tokenIssued && !hasPendingToken;
  const { userId, cycleId } = scope;
  useEffect(() => {
    if (tokenTakenElsewhere) return;
    prepareToken({ scope: { userId, cycleId }, publicKeySpki: survey.publicKeySpki, storage }).catch(
      () => undefined,
    );
  }, [tokenTakenElsewhere, userId, cycleId, survey.publicKeySpki, storage]);

  const submission = useMutation({
    mutationFn: (body: Answers) =>
      submitAnonymously({
        scope,
        instrument: instrument.key,
        publicKeySpki: survey.publicKeySpki,
        answers: body,
        storage,
        onStep: setStep,
        comment: comment.trim() ? { text: comment.trim(), teamName: survey.teamName } : undefined,
      }),
    onSuccess: (stored) => {
      void queryClient.invalidateQueries({ queryKey: openSurveysQueryKey });
      onSubmitted(stored);
    },
    onError: (error) => {
      const { problem: next, items } = describeSubmitError(error, instrument);
      setItemErrors(items);
      setProblem(next);
      requestAnimationFrame(() => problemRef.current?.focus());
    },
    onSettled: () => setStep(null),
  });

  const total = instrument.items.length;
  const answered = instrument.items.filter((item) => answers[item.id] !== undefined).length;
  const remaining = total - answered;
  const blocked = problem !== null && !problem.retryable;
  const pending = submission.isPending;
  const title = surveyTitle(instrument, survey.trustSubject);

  const answer = (itemId: string, value: number) => {
    const next = { ...answers, [itemId]: value };
    setAnswers(next);
    saveAnswers(storage, scope, next);
    if (itemErrors[itemId]) {
      const { [itemId]: _fixed, ...rest } = itemErrors;
      setItemErrors(rest);
      // The last flagged answer was changed: the summary no longer applies.
      if (Object.keys(rest).length === 0 && problem?.retryable) setProblem(null);
    }
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (remaining > 0 || pending || blocked) return;
    const problems = validateAnswers(instrument, answers);
    if (problems.length > 0) {
      setItemErrors(Object.fromEntries(problems.map((p) => [p.field.replace(/^answers\./, ''), p.message])));
      return;
    }
    setProblem(null);
    submission.mutate(answers);
  };

  return (
    <form className="survey" onSubmit={onSubmit} noValidate aria-labelledby="survey-title">
      <div className="page-header">
        <p className="page-header__eyebrow">{survey.teamName}</p>
        <h1 id="survey-title">{title}</h1>
        <p className="page-header__lede">
          {surveyIntro(instrument, survey.trustSubject)} {total} statements, about a minute. Open until{' '}
          {formatDateTime(survey.closesAt)}.
        </p>
      </div>

      <aside className="privacy-box" aria-labelledby="privacy-title">
        <h2 id="privacy-title" className="privacy-box__title">
          Before you answer
        </h2>
        <ul>
          <li>
            <strong>Results are shown only when at least k = {survey.k} people answer.</strong>{' '}
            {survey.invited} {survey.invited === 1 ? 'person was' : 'people were'} invited. Below k the team
            sees “suppressed”, not a score.
          </li>
          <li>
            <strong>What is stored:</strong> your answers and the survey version ({instrument.key}). No name,
            no time, no IP address.
          </li>
          <li>
            <strong>Your token is blind-signed.</strong> The server checks that you are on the team without
            seeing the token it signs, so even the server cannot link your answers to you.
          </li>
          <li>Until you submit, your answers in progress are kept only in this browser.</li>
        </ul>
        <p className="privacy-box__more">
          <Link to="/privacy">Exactly what is stored, what k is, and the limits of this protection</Link>
        </p>
      </aside>

      <fieldset className="survey__items" disabled={pending || blocked}>
        <legend className="visually-hidden">Statements</legend>
        <p className="survey__scale-hint">
          For each statement, choose how much you agree (1 = strongly disagree, 7 = strongly agree).
        </p>
        {instrument.items.map((item, index) => (
          <LikertItem
            key={item.id}
            name={`${survey.cycleId}-${item.id}`}
            number={index + 1}
            total={total}
            text={itemText(item, survey.trustSubject)}
            value={answers[item.id]}
            error={itemErrors[item.id]}
            onChange={(value) => answer(item.id, value)}
          />
        ))}
      </fieldset>

      <CommentBox
        survey={survey}
        value={comment}
        onChange={setComment}
        knownNames={[user.name]}
        disabled={pending || blocked}
      />

      <div className="survey__submit-bar">
        <div ref={problemRef} tabIndex={-1} className="survey__problem">
          {problem && (
            <div className="notice notice--error" role="alert">
              <p>{problem.message}</p>
              {problem.details && problem.details.length > 0 && (
                <ul>
                  {problem.details.map((detail) => (
                    <li key={detail}>{detail}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </div>
        <div className="survey__submit-row">
          <p className="survey__progress" id="survey-progress" aria-live="polite">
            {pending && step
              ? STEP_TEXT[step]
              : remaining === 0
                ? 'All statements answered.'
                : `${remaining} of ${total} statement${remaining === 1 ? '' : 's'} left to answer.`}
          </p>
          <button
            type="submit"
            className="button button--primary"
            disabled={remaining > 0 || pending || blocked}
            aria-describedby="survey-progress"
          >
            {pending ? 'Submitting…' : problem?.retryable ? 'Try again' : 'Submit anonymously'}
          </button>
        </div>
        <progress className="survey__meter" max={total} value={answered} aria-hidden="true" />
      </div>
    </form>
  );
}

/** Keeps only stored answers for this instrument's statements (the scale was checked on load). */
function restoreAnswers(instrument: Instrument, stored: Answers): Answers {
  const restored: Answers = {};
  for (const item of instrument.items) {
    const value = stored[item.id];
    if (value !== undefined) restored[item.id] = value;
  }
  return restored;
}

function describeSubmitError(
  error: unknown,
  instrument: Instrument,
): { problem: FormProblem; items: Record<string, string> } {
  if (error instanceof ApiError && error.status === 400) {
    const items: Record<string, string> = {};
    const details: string[] = [];
    const known = new Set(instrument.items.map((i) => i.id));
    for (const [field, messages] of Object.entries(error.fields)) {
      const itemId = field.replace(/^answers\./, '');
      if (field.startsWith('answers.') && known.has(itemId)) items[itemId] = capitalise(messages.join(' '));
      else details.push(`${field}: ${messages.join(' ')}`);
    }
    const count = Object.keys(items).length;
    const message =
      count > 0
        ? `${count} answer${count === 1 ? ' needs' : 's need'} attention. Nothing was recorded yet.`
        : `Your submission was not accepted: ${error.message}`;
    return { problem: { message, retryable: true, details }, items };
  }
  if (error instanceof NetworkError) {
    return {
      problem: {
        message:
          'Could not reach Candor. Your answers and your anonymous token are saved in this browser — try again when you are back online. Nothing will be counted twice.',
        retryable: true,
      },
      items: {},
    };
  }
  if (error instanceof TokenTakenElsewhereError || error instanceof CycleClosedError) {
    return { problem: { message: error.message, retryable: false }, items: {} };
  }
  if (error instanceof AnswersAlreadyRecordedError) {
    return { problem: { message: error.message, retryable: false }, items: {} };
  }
  if (error instanceof InvalidSignatureError || error instanceof StorageUnavailableError) {
    return { problem: { message: error.message, retryable: true }, items: {} };
  }
  if (error instanceof ApiError) {
    return {
      problem: {
        message: `${error.message} Your answers and token are saved in this browser; you can try again.`,
        retryable: error.status >= 500 || error.status === 429,
      },
      items: {},
    };
  }
  return {
    problem: {
      message: 'Something went wrong. Your answers are saved in this browser; try again.',
      retryable: true,
    },
    items: {},
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
