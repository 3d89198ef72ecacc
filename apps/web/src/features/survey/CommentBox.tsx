/** The optional open question on the survey: who reads it, when, and what could give the writer away. */
import { COMMENT_MAX_CHARS, type OpenSurvey } from '@candor/contracts';
import { useRosterNames } from '../../lib/comments-api';
import { formatDateTime } from '../../lib/format';
import { commentWarnings } from './comment-warnings';

interface CommentBoxProps {
  survey: OpenSurvey;
  value: string;
  onChange: (text: string) => void;
  /**
   * Names this browser knows (the writer's own): flagged if they appear in the text, with the
   * names on the team's roster, which the box loads itself.
   */
  knownNames: readonly string[];
  disabled?: boolean;
}

const KIND_TEXT = { email: 'an e-mail address', phone: 'a phone number', name: 'a name' } as const;

export function CommentBox({ survey, value, onChange, knownNames, disabled }: CommentBoxProps) {
  const roster = useRosterNames(survey.teamId).data?.names;
  const warnings = commentWarnings(value, roster ? [...knownNames, ...roster] : knownNames);
  const id = `comment-${survey.cycleId}`;
  return (
    <fieldset className="card comment-box" disabled={disabled}>
      <legend className="comment-box__legend">Optional: a comment</legend>
      <label htmlFor={id} className="comment-box__question">
        {survey.openQuestion}
      </label>
      <ul className="comment-box__rules" id={`${id}-rules`}>
        <li>
          <strong>Who reads it:</strong> the team’s leads only (directors see how many comments there were,
          never the text).
        </li>
        <li>
          <strong>When:</strong> after the survey closes on {formatDateTime(survey.closesAt)}, and only if at
          least {survey.kComments} people took part. Otherwise nobody ever reads it.
        </li>
        <li>
          <strong>Your wording, the details you mention and your style can identify you.</strong> Nothing
          stored links it to you, but the people who read it know you all.
        </li>
        <li>
          A lead can reply; you will see the reply on your home page, and only this browser can open it.
        </li>
      </ul>
      <textarea
        id={id}
        className="comment-box__input"
        rows={4}
        maxLength={COMMENT_MAX_CHARS}
        value={value}
        aria-describedby={`${id}-rules ${id}-count`}
        onChange={(e) => onChange(e.target.value)}
      />
      <p className="comment-box__count" id={`${id}-count`}>
        {value.length} / {COMMENT_MAX_CHARS} characters
      </p>
      {warnings.length > 0 && (
        <div className="notice notice--warn" role="status">
          <p>This comment contains something that could point to a person:</p>
          <ul>
            {warnings.map((w) => (
              <li key={`${w.kind}:${w.text}`}>
                {KIND_TEXT[w.kind]}: “{w.text}”
              </li>
            ))}
          </ul>
          <p>You can still send it; consider leaving it out.</p>
        </div>
      )}
    </fieldset>
  );
}
