/**
 * /privacy — what Candor stores, what k is, and what the design does not protect against.
 * Says the same as docs/anonymity.md, in plain words. Keep the two in step.
 */
import { Link } from 'react-router';
import { useDocumentTitle } from '../../components/useDocumentTitle';

const STORED: { what: string; linked: string; detail: string }[] = [
  {
    what: 'That you were invited to a survey',
    linked: 'Yes',
    detail:
      'The list of people invited, fixed when the survey opens. It is how the team size (“invited”) is known.',
  },
  {
    what: 'That you took part',
    linked: 'Yes',
    detail:
      'When you open a survey, Candor records that it gave you your one anonymous token. No time is kept with it. It shows that you took part, not what you said.',
  },
  {
    what: 'Your answers',
    linked: 'No',
    detail:
      'While the survey is open, locked (encrypted) with a key for that survey which only the running app can unlock — someone reading the database cannot read them. When it closes, they are unlocked once and stored with a random id, the survey and its version only, in a random order, and the key is destroyed. No name, no user id, no time, no IP address, no browser details.',
  },
  {
    what: 'That a token was used',
    linked: 'No',
    detail:
      'A fingerprint (hash) of the token, so it cannot be used twice. The server never saw the token while it knew who you were.',
  },
];

export default function PrivacyPage() {
  useDocumentTitle('Privacy and anonymity');
  return (
    <div className="page page--narrow prose">
      <div className="page-header">
        <h1>Privacy and anonymity</h1>
        <p className="page-header__lede">
          Nobody using Candor — not your lead, a director or an admin — and nobody who reads the database
          after a survey closes can see what you answered. This page says exactly what is stored, what k is,
          and what the design does not protect against.
        </p>
      </div>

      <section className="card" aria-labelledby="stored-heading">
        <h2 id="stored-heading" className="card__title">
          What is stored
        </h2>
        <div className="table-scroll" role="region" aria-label="What is stored (table)" tabIndex={0}>
          <table className="data-table">
            <caption>Everything Candor keeps about a survey you are invited to.</caption>
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">Linked to you?</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {STORED.map((row) => (
                <tr key={row.what}>
                  <th scope="row">{row.what}</th>
                  <td>
                    <strong>{row.linked}</strong>
                  </td>
                  <td>{row.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p>
          While you are answering, your answers in progress and your token are kept in this browser only (its
          local storage), so that a reload or a lost connection loses nothing. Once your answers are received,
          only the receipt is kept.
        </p>
      </section>

      <section className="card" aria-labelledby="link-heading">
        <h2 id="link-heading" className="card__title">
          How your name is kept apart from your answers
        </h2>
        <ol>
          <li>When a survey opens, Candor makes a signing key for that survey only.</li>
          <li>
            Signed in, your browser makes a random token, hides it (“blinds” it) and asks Candor to sign it.
            Candor checks you are invited, notes that you took your token, and signs — without seeing the
            token.
          </li>
          <li>Your browser un-hides the signature. You now hold a valid token Candor has never seen.</li>
          <li>
            Your browser sends your answers with the token <strong>without signing in</strong>: no cookie, no
            login, nothing that says who you are. Candor checks the signature and stores the answers.
          </li>
        </ol>
        <p>
          One person gets one token, and one token counts once. Sending the same answers again (say, after a
          dropped connection) returns the same receipt; different answers with a used token are refused. This
          uses blind RSA signatures (RFC 9474).
        </p>
        <p>
          Until a survey closes, your answers are stored only encrypted, with a key for that survey that is
          itself locked by a key kept outside the database. When it closes, the answers are unlocked once and
          written in a random order, so the order they arrived in is gone; then the survey’s key and its
          signing key are deleted, so no leftover encrypted copy can ever be read and no more tokens can be
          signed.
        </p>
      </section>

      <section className="card" aria-labelledby="k-heading">
        <h2 id="k-heading" className="card__title">
          What k is
        </h2>
        <p>
          <strong>k is the smallest number of answers needed before any result is shown.</strong> It is 5
          unless your organisation set another value, and it can never be below 3. It is fixed when a survey
          opens, and the survey shows it to you before you answer.
        </p>
        <ul>
          <li>
            If fewer than k people answered, every number for that survey — score, interval, item averages,
            even how many answered — is shown as <em>suppressed</em>, never as a number. This rule is applied
            by the server, so the numbers never reach anyone’s browser.
          </li>
          <li>
            Scores appear only after a survey closes. While it is open, its leads see only a count of answers.
          </li>
          <li>
            <strong>
              Nothing about fewer than k people can be worked out, even by combining every number Candor has
              ever shown, to anyone, over time.
            </strong>{' '}
            Before it shows a new number, the server checks it against everything it has shown before and
            holds it back if the two together would reveal a smaller group; a month’s results appear once the
            month is over and never change afterwards, even when teams move.
          </li>
          <li>
            There are no other filters (no age, gender, location…): results are by team and survey only.
          </li>
        </ul>
      </section>

      <section className="card" aria-labelledby="comments-heading">
        <h2 id="comments-heading" className="card__title">
          Comments and replies
        </h2>
        <ul>
          <li>
            A comment is optional. It is sent with the same anonymous token as your answers, without your
            name, and stored apart from them: nothing stored connects it to you or to your answers.
          </li>
          <li>
            Only the team’s leads read comments, after the survey closes, and only if enough people took part
            (the survey shows how many). Otherwise nobody ever reads it. Directors see only how many comments
            there were.
          </li>
          <li>
            <strong>Your words can give you away.</strong> The people who read it know you: details, wording
            and style can point to you. Leave out names, dates and anything only you would know. Before you
            send, the box flags e-mail addresses, phone numbers and the names of people on your team (your
            browser loads your team’s names for this; your text is checked in your browser, never sent to be
            checked).
          </li>
          <li>
            A lead can reply. Your browser keeps a secret for each comment; only with it can the reply be read
            (on another device, with the reply code). Nobody — your lead, an administrator or Candor — can
            find out who wrote a comment, even when a lead hides it or reports it and an administrator decides
            whether it stays hidden.
          </li>
          <li>
            Anyone who uses this browser as you can read your comments’ replies at “My comments”. Opening a
            thread tells the server that someone has its secret, not who.
          </li>
        </ul>
      </section>

      <section className="card" aria-labelledby="risks-heading">
        <h2 id="risks-heading" className="card__title">
          What this does not protect against
        </h2>
        <ul>
          <li>
            <strong>Watching live traffic.</strong> Someone who can watch the server’s network traffic while a
            survey is open could try to match the moment you got your token with the moment your answers
            arrived. Your browser takes the token when you open the survey, so the two are apart by the time
            you spend answering — but that is not a guarantee.
          </li>
          <li>
            <strong>Network logs.</strong> Your answers arrive from the same IP address and browser as your
            token request. Candor stores neither, but a proxy in front of it might log them; whoever runs
            Candor should configure its logs accordingly.
          </li>
          <li>
            <strong>Reading the database while a survey is open.</strong> Answers are encrypted until the
            survey closes, in the order they arrived. Someone who has both the database (or a copy of it) and
            the app’s separate key could unlock them and match them to the order tokens were given out.
            Whoever runs Candor must keep that key apart from the database and its backups.
          </li>
          <li>
            <strong>A shared browser.</strong> Until your answers are received, someone else using the same
            browser profile could read your answers in progress.
          </li>
          <li>
            <strong>Small k and everyone agreeing.</strong> If k is 3 and all three people answer 7, everyone
            knows what each person answered. That is true of any average; a larger k makes it less likely.
          </li>
          <li>
            <strong>A dishonest operator.</strong> Whoever runs the server could change its code to record
            more. Candor is open source so that a deployment can be checked, but it cannot protect you from a
            modified server.
          </li>
        </ul>
        <p>
          <Link to="/">Back to home</Link>
        </p>
      </section>
    </div>
  );
}
