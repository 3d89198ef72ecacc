/** CSV import of people and teams: preview with row-level errors, then apply all or nothing. */
import type { ImportIssue, ImportReport, ImportSummary } from '@candor/contracts';
import { useState } from 'react';
import { CheckboxField, TextareaField, TextField } from '../../components/forms';
import { ErrorState } from '../../components/states';
import { useImportApply, useImportPreview } from './api';
import { Section } from '../../components/Section';

const SAMPLE = 'email,name,team,role,group\nada@example.com,Ada Lovelace,Platform,lead,Acme/Engineering';

export function ImportSection() {
  const [csv, setCsv] = useState('');
  const [createTeams, setCreateTeams] = useState(true);
  const preview = useImportPreview();
  const apply = useImportApply();
  const previewed =
    preview.data && preview.variables?.csv === csv && preview.variables.createTeams === createTeams;

  const readFile = async (file: File | undefined) => {
    if (!file) return;
    setCsv(await file.text());
    preview.reset();
    apply.reset();
  };

  return (
    <Section title="CSV import">
      <p className="muted">
        One row per person and team: <code>email,name,team,role,group</code> (role: member or lead; group as a
        path such as <code>Acme/Product/Payments</code>). Preview first: nothing is written until you apply,
        and apply changes everything or nothing.
      </p>
      <div className="import-form">
        <TextField
          label="CSV file"
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => void readFile(e.target.files?.[0])}
        />
        <TextareaField
          label="Or paste the CSV"
          rows={6}
          value={csv}
          placeholder={SAMPLE}
          spellCheck={false}
          onChange={(e) => {
            setCsv(e.target.value);
            apply.reset();
          }}
        />
        <CheckboxField
          label="Create teams and groups that do not exist yet"
          checked={createTeams}
          onChange={(e) => setCreateTeams(e.target.checked)}
        />
        <div className="import-form__actions">
          <button
            type="button"
            className="button button--secondary"
            disabled={!csv.trim() || preview.isPending}
            onClick={() => {
              apply.reset();
              preview.mutate({ csv, createTeams });
            }}
          >
            {preview.isPending ? 'Checking…' : 'Preview'}
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={!previewed || !preview.data?.ok || apply.isPending || apply.isSuccess}
            onClick={() => apply.mutate({ csv, createTeams })}
          >
            {apply.isPending ? 'Applying…' : 'Apply'}
          </button>
        </div>
      </div>
      <div aria-live="polite">
        {preview.isError && <ErrorState error={preview.error} title="Could not check the file" />}
        {apply.isError && <ErrorState error={apply.error} title="Nothing was applied" />}
        {apply.isSuccess ? (
          <div className="notice notice--success">
            <p>
              <strong>Applied.</strong> <SummaryText summary={apply.data.summary} />
            </p>
          </div>
        ) : (
          previewed && preview.data && <ImportPreview report={preview.data} />
        )}
      </div>
    </Section>
  );
}

function SummaryText({ summary }: { summary: ImportSummary }) {
  const { people, groups, teams, memberships } = summary;
  return (
    <>
      {summary.rows} {summary.rows === 1 ? 'row' : 'rows'}: {people.create} people to create, {people.update}{' '}
      to update, {people.unchanged} unchanged; {groups.create} groups and {teams.create} teams to create;
      memberships {memberships.add} added, {memberships.changeRole} role changes, {memberships.remove}{' '}
      removed.
    </>
  );
}

function ImportPreview({ report }: { report: ImportReport }) {
  return (
    <div className="import-preview">
      <p className={report.ok ? 'notice notice--success' : 'notice notice--error'}>
        {report.ok
          ? 'No errors: apply will make these changes. '
          : `${report.errorCount} ${report.errorCount === 1 ? 'error' : 'errors'}: fix the file and preview again. `}
        <SummaryText summary={report.summary} />
      </p>
      {report.errors.length > 0 && (
        <IssueTable title="Errors" issues={report.errors} total={report.errorCount} />
      )}
      {report.warnings.length > 0 && (
        <IssueTable title="Warnings" issues={report.warnings} total={report.warningCount} />
      )}
    </div>
  );
}

function IssueTable({ title, issues, total }: { title: string; issues: ImportIssue[]; total: number }) {
  return (
    <div className="table-scroll" role="region" aria-label={`${title} (table)`} tabIndex={0}>
      <table className="data-table">
        <caption>
          {title}
          {total > issues.length ? ` (first ${issues.length} of ${total})` : ` (${total})`}
        </caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Column</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {issues.map((issue, i) => (
            <tr key={`${issue.line}-${issue.column}-${i}`}>
              <th scope="row">{issue.line ?? 'File'}</th>
              <td>{issue.column ?? '—'}</td>
              <td>{issue.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
