/** /surveys/:cycleId — answer an open pulse, or see the receipt once answered. */
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { EmptyState, ErrorState, Skeleton } from '../../components/states';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { browserStorage } from '../../lib/storage';
import { useCurrentUser } from '../../lib/current-user';
import { useOpenSurveys } from '../../lib/open-surveys';
import { ReceiptView } from './ReceiptView';
import { SurveyForm } from './SurveyForm';
import { instrumentFor, surveyTitle } from '../../lib/survey-text';
import { loadReceipt, type StoredReceipt } from '../../lib/survey-storage';

export default function SurveyPage() {
  const { cycleId = '' } = useParams();
  const user = useCurrentUser();
  // Remount per cycle so that answers, receipt and token state never leak between surveys.
  return <SurveyPageContent key={`${user.id}:${cycleId}`} cycleId={cycleId} userId={user.id} />;
}

function SurveyPageContent({ cycleId, userId }: { cycleId: string; userId: string }) {
  const user = useCurrentUser();
  const scope = { userId, cycleId };
  const surveys = useOpenSurveys();
  const [stored, setStored] = useState<StoredReceipt | null>(() => loadReceipt(browserStorage(), scope));
  const survey = surveys.data?.surveys.find((s) => s.cycleId === cycleId);
  const instrument = survey ? instrumentFor(survey) : null;
  useDocumentTitle(
    stored
      ? 'Answers received'
      : survey && instrument
        ? surveyTitle(instrument, survey.trustSubject)
        : 'Survey',
  );

  if (stored) {
    const teamName =
      survey?.teamName ?? user.teams.find((t) => t.teamId === stored.receipt.teamId)?.teamName ?? null;
    return (
      <div className="page page--narrow">
        <ReceiptView stored={stored} teamName={teamName} />
      </div>
    );
  }

  if (surveys.isPending) {
    return (
      <div className="page page--narrow">
        <Skeleton height={640} label="Loading the survey…" />
      </div>
    );
  }
  if (surveys.isError) {
    return (
      <div className="page page--narrow">
        <ErrorState
          error={surveys.error}
          title="Could not load the survey"
          onRetry={() => void surveys.refetch()}
        />
      </div>
    );
  }
  if (!survey) {
    return (
      <div className="page page--narrow">
        <EmptyState title="This survey is not open for you">
          <p>It may have closed, or it belongs to a team you are not on.</p>
          <p>
            <Link to="/">Back to my surveys</Link>
          </p>
        </EmptyState>
      </div>
    );
  }
  if (!instrument) {
    return (
      <div className="page page--narrow">
        <div className="notice notice--error" role="alert">
          This survey uses a version ({survey.instrument}) that this page does not know yet. Reload the page
          to update Candor.
        </div>
      </div>
    );
  }
  return (
    <div className="page page--narrow">
      <SurveyForm survey={survey} instrument={instrument} scope={scope} onSubmitted={setStored} />
    </div>
  );
}
