/**
 * What "a real change" means on every chart and summary: the flag's rule in words, and that it is
 * conservative. The numbers are the ones @candor/stats uses (DEFAULT_ALPHA, DEFAULT_POWER).
 */
import { DEFAULT_ALPHA, DEFAULT_POWER } from '@candor/stats';

export function ChangeRuleHelp() {
  return (
    <details className="help">
      <summary>What counts as a real change?</summary>
      <p>
        A change from one cycle to the next is called real only when both hold: it is statistically
        significant (p below {DEFAULT_ALPHA}) and it is at least the <em>minimum detectable change</em> — the
        smallest change that answers this many and this spread would reveal {Math.round(DEFAULT_POWER * 100)}%
        of the time.
      </p>
      <p>
        The rule is conservative. A flagged change is rarely a fluke, but a real change that is small, or in a
        small team, often goes unflagged: “within normal variation” means the answers cannot tell, not that
        nothing happened. Several cycles moving the same way are worth a conversation even without a flag.
      </p>
    </details>
  );
}
