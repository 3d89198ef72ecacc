import { screen, within } from '@testing-library/react';
import { demoUser } from '../../../test/fake-api';
import { renderRoute } from '../../../test/render';
import PrivacyPage from './PrivacyPage';

describe('PrivacyPage', () => {
  it('says what is stored and which of it is linked to the person', async () => {
    renderRoute(<PrivacyPage />, { url: '/privacy', path: '/privacy', user: demoUser });
    const table = await screen.findByRole('table');
    const row = (name: RegExp) => within(table).getByRole('row', { name });
    expect(within(row(/^Your answers/)).getByText('No')).toBeInTheDocument();
    expect(row(/^Your answers/)).toHaveTextContent('No name, no user id, no time, no IP address');
    expect(within(row(/^That you took part/)).getByText('Yes')).toBeInTheDocument();
    expect(within(row(/^That a token was used/)).getByText('No')).toBeInTheDocument();
  });

  it('explains k: default 5, never below 3, fixed at open, applied by the server', async () => {
    renderRoute(<PrivacyPage />, { url: '/privacy', path: '/privacy', user: demoUser });
    const section = (await screen.findByRole('heading', { name: 'What k is' })).closest('section')!;
    expect(section).toHaveTextContent('It is 5 unless your organisation set another value');
    expect(section).toHaveTextContent('it can never be below 3');
    expect(section).toHaveTextContent('fixed when a survey opens');
    expect(section).toHaveTextContent('applied by the server');
  });

  it('states the residual risks', async () => {
    renderRoute(<PrivacyPage />, { url: '/privacy', path: '/privacy', user: demoUser });
    const section = (
      await screen.findByRole('heading', { name: 'What this does not protect against' })
    ).closest('section')!;
    for (const risk of [
      'Watching live traffic.',
      'Network logs.',
      'Reading the database while a survey is open.',
      'A shared browser.',
      'Small k and everyone agreeing.',
      'A dishonest operator.',
    ]) {
      expect(within(section).getByText(risk)).toBeInTheDocument();
    }
  });
});
