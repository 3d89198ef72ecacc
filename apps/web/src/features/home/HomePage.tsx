/**
 * / — for a director, first where to look in the groups they direct and how every team stands;
 * then what to answer now and the teams whose results this person can see.
 */
import type { OpenSurvey } from '@candor/contracts';
import { lazy, Suspense } from 'react';
import { Link } from 'react-router';
import { EmptyState, ErrorState, Skeleton } from '../../components/states';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { daysUntil, formatDateTime } from '../../lib/format';
import { browserStorage } from '../../lib/storage';
import { useCurrentUser } from '../../lib/current-user';
import { useOpenSurveys } from '../../lib/open-surveys';
import { instrumentFor, surveyTitle } from '../../lib/survey-text';
import { localSurveyStatus } from '../../lib/survey-storage';
import { NewReplyBadge } from './NewReplyBadge';

// Directors only, and no charts in it: kept out of the initial download.
const DirectorHome = lazy(() => import('../director/DirectorHome'));

export function HomePage() {
  useDocumentTitle('Home');
  const user = useCurrentUser();
  const surveys = useOpenSurveys();
  const firstName = user.name.split(/\s+/)[0] || user.name;
  const director = user.directorOf.length > 0;
  // A director or admin who is on no team has nothing to answer and no team: no empty boxes for that.
  const onlyOversees = (director || user.isAdmin) && user.teams.length === 0;
  const noSurveys = surveys.isSuccess && surveys.data.surveys.length === 0;

  return (
    <div className="page">
      <div className="page-header">
        <h1>Hello, {firstName}</h1>
        <p className="page-header__lede">
          {director
            ? 'Where your teams stand, what changed, and where to look first. Results are shown only where enough people answered.'
            : 'Short, anonymous pulses about how your team works. Results are shown per team, only when enough people answered.'}
        </p>
        <NewReplyBadge userId={user.id} />
      </div>

      {director && (
        <Suspense fallback={<Skeleton height={320} label="Loading your groups…" />}>
          <DirectorHome groups={user.directorOf} />
        </Suspense>
      )}

      {!(onlyOversees && noSurveys) && (
        <section className="card" aria-labelledby="surveys-heading">
          <h2 id="surveys-heading" className="card__title">
            My surveys
          </h2>
          {surveys.isPending ? (
            <Skeleton height={132} label="Loading your surveys…" />
          ) : surveys.isError ? (
            <ErrorState
              error={surveys.error}
              title="Could not load your surveys"
              onRetry={() => void surveys.refetch()}
            />
          ) : surveys.data.surveys.length === 0 ? (
            <EmptyState title="Nothing to answer right now">
              <p>New pulses appear here when a cycle opens for one of your teams.</p>
            </EmptyState>
          ) : (
            <ul className="survey-list">
              {[...surveys.data.surveys]
                .sort((a, b) => a.closesAt.localeCompare(b.closesAt))
                .map((survey) => (
                  <SurveyRow key={survey.cycleId} survey={survey} userId={user.id} />
                ))}
            </ul>
          )}
        </section>
      )}

      {!onlyOversees && (
        <section className="card" aria-labelledby="teams-heading">
          <h2 id="teams-heading" className="card__title">
            My teams
          </h2>
          {user.teams.length === 0 ? (
            <EmptyState title="You are not on a team yet">
              <p>An admin adds people to teams. Once you are on one, its results appear here.</p>
            </EmptyState>
          ) : (
            <ul className="team-list">
              {user.teams.map((team) => (
                <li key={team.teamId}>
                  <Link className="team-list__link" to={`/teams/${encodeURIComponent(team.teamId)}`}>
                    <span className="team-list__name">{team.teamName}</span>
                    {team.role === 'lead' && <span className="badge badge--lead">Lead</span>}
                    <span className="team-list__cta" aria-hidden="true">
                      Results →
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      {user.isAdmin && (
        <section className="card" aria-labelledby="admin-heading">
          <h2 id="admin-heading" className="card__title">
            Administration
          </h2>
          <ul className="team-list">
            <li>
              <Link className="team-list__link" to="/admin">
                <span className="team-list__name">
                  Organisation, people, import, schedules, outbox, audit log
                </span>
                <span className="team-list__cta" aria-hidden="true">
                  Open →
                </span>
              </Link>
            </li>
          </ul>
        </section>
      )}
    </div>
  );
}

function SurveyRow({ survey, userId }: { survey: OpenSurvey; userId: string }) {
  const instrument = instrumentFor(survey);
  const status = localSurveyStatus(browserStorage(), { userId, cycleId: survey.cycleId });
  const title = instrument ? surveyTitle(instrument, survey.trustSubject) : survey.instrument;
  const days = daysUntil(survey.closesAt);
  const href = `/surveys/${encodeURIComponent(survey.cycleId)}`;
  const takenElsewhere = status === 'not-started' && survey.tokenIssued;

  return (
    <li className="survey-list__item">
      <div className="survey-list__main">
        <p className="survey-list__title">
          {title} <span className="survey-list__team">· {survey.teamName}</span>
        </p>
        <p className="survey-list__meta">
          Closes {formatDateTime(survey.closesAt)}
          {days !== null && days >= 0 && days <= 3 && (
            <span className="badge badge--warn">
              {days <= 0 ? 'today' : `${days} day${days === 1 ? '' : 's'} left`}
            </span>
          )}
          <span aria-hidden="true"> · </span>
          <span>
            results only if at least <abbr title="anonymity threshold">k</abbr> = {survey.k} of{' '}
            {survey.invited} answer
          </span>
        </p>
      </div>
      <div className="survey-list__action">
        {status === 'answered' ? (
          <>
            <span className="badge badge--done">✓ Answered</span>
            <Link to={href} className="button button--link">
              View receipt
            </Link>
          </>
        ) : takenElsewhere ? (
          <span className="badge">Answered or started in another browser</span>
        ) : (
          <Link
            to={href}
            className="button button--primary"
            aria-label={`${status === 'in-progress' ? 'Continue' : 'Answer'}: ${title}, ${survey.teamName}`}
          >
            {status === 'in-progress' ? 'Continue' : 'Answer'}
          </Link>
        )}
      </div>
    </li>
  );
}
