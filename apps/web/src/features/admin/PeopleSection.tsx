/** People: search, page through, add a person (and invite them). Each name opens their page. */
import type { AdminPerson } from '@candor/contracts';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { EmptyState } from '../../components/states';
import { formatDate } from '../../lib/format';
import { useCreatePerson, useInvite, usePeople } from './api';
import {
  CheckboxField,
  describeFormError,
  emailProblem,
  FormAlert,
  SearchForm,
  TextField,
  type FieldErrors,
} from '../../components/forms';
import { PagedTable, useSearchedPages } from '../../components/PagedTable';
import { Section } from '../../components/Section';

const COLUMNS = [{ header: 'Name' }, { header: 'Email' }, { header: 'Status' }, { header: 'Added' }];

export function personStatus(p: Pick<AdminPerson, 'active' | 'hasPassword'>): string {
  return !p.active ? 'Deactivated' : p.hasPassword ? 'Active' : 'Invited (no password yet)';
}

export const personPath = (id: string) => `/admin/people/${encodeURIComponent(id)}`;

export function PeopleSection() {
  const { q, pages, search } = useSearchedPages();
  const [adding, setAdding] = useState(false);
  const people = usePeople(q, pages.cursor);
  return (
    <Section
      title="People"
      actions={
        <button
          type="button"
          className="button button--secondary"
          aria-expanded={adding}
          onClick={() => setAdding(!adding)}
        >
          Add person
        </button>
      }
    >
      {adding && <NewPersonForm onCancel={() => setAdding(false)} />}
      <SearchForm label="Search by name or email" submit="Search" onSearch={search} />
      <PagedTable
        query={people}
        rows={(d) => d.people}
        nextCursor={(d) => d.nextCursor}
        pages={pages}
        label="People (table)"
        caption={`People${q ? ` matching “${q}”` : ''}, page ${pages.page}`}
        columns={COLUMNS}
        loadingLabel="Loading people…"
        empty={<EmptyState title={q ? `Nobody matches “${q}”` : 'No people yet'} />}
        renderRow={(p) => (
          <tr key={p.id} role="row">
            <th scope="row" role="rowheader">
              <Link to={personPath(p.id)}>{p.name}</Link> {p.isAdmin && <span className="badge">Admin</span>}
            </th>
            <td role="cell" className="data-table__email" data-label="Email">
              {p.email}
            </td>
            <td role="cell" data-label="Status">
              {personStatus(p)}
            </td>
            <td role="cell" data-label="Added">
              {formatDate(p.createdAt)}
            </td>
          </tr>
        )}
      />
    </Section>
  );
}

function NewPersonForm({ onCancel }: { onCancel: () => void }) {
  const create = useCreatePerson();
  const invite = useInvite();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [isAdmin, setIsAdmin] = useState(false);
  const [sendInvite, setSendInvite] = useState(true);
  const [fields, setFields] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  useEffect(() => nameRef.current?.focus(), []);
  const pending = create.isPending || invite.isPending;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const errors: FieldErrors = {};
    if (!name.trim()) errors.name = 'Enter their name.';
    const emailError = emailProblem(email, 'Enter their work email.');
    if (emailError) errors.email = emailError;
    setFields(errors);
    if (errors.name || errors.email) {
      (errors.name ? nameRef : emailRef).current?.focus();
      return;
    }
    create.mutate(
      { name: name.trim(), email: email.trim(), isAdmin },
      {
        onSuccess: (person) => {
          const open = (state: object) => void navigate(personPath(person.id), { state });
          if (!sendInvite)
            return open({ notice: `Added ${person.name}. They cannot sign in until you invite them.` });
          invite.mutate(person.id, {
            onSuccess: () =>
              open({ notice: `Added ${person.name} and sent an invitation to ${person.email}.` }),
            onError: () =>
              open({
                notice: `Added ${person.name}, but the invitation could not be sent. Send it from here.`,
              }),
          });
        },
        onError: (error) => {
          const described = describeFormError(error, ['name', 'email']);
          setFields(described.fields);
          setFormError(described.form);
          if (described.fields.email) emailRef.current?.focus();
          else if (described.fields.name) nameRef.current?.focus();
        },
      },
    );
  };

  return (
    <form className="inline-form" onSubmit={onSubmit} noValidate aria-label="Add a person">
      <FormAlert message={formError} />
      <div className="inline-form__fields">
        <TextField
          ref={nameRef}
          label="Name"
          autoComplete="off"
          value={name}
          maxLength={200}
          onChange={(e) => setName(e.target.value)}
          error={fields.name}
        />
        <TextField
          ref={emailRef}
          label="Work email"
          type="email"
          autoComplete="off"
          spellCheck={false}
          value={email}
          maxLength={254}
          onChange={(e) => setEmail(e.target.value)}
          error={fields.email}
        />
      </div>
      <CheckboxField
        label="Send an invitation email now (a link to set a password)"
        checked={sendInvite}
        onChange={(e) => setSendInvite(e.target.checked)}
      />
      <CheckboxField
        label="Administrator (configures Candor; sees no more survey results than anyone else)"
        checked={isAdmin}
        onChange={(e) => setIsAdmin(e.target.checked)}
      />
      <div className="inline-form__actions">
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? 'Adding…' : 'Add person'}
        </button>
        <button type="button" className="button button--ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
