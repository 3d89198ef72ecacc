import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { adoptEarlyRequests } from './app/early-requests';
import { createQueryClient } from './app/query-client';
import { meQuery } from './features/auth/api';
import './styles.css';

// One query client, one cache. It takes over what public/early.js already asked; the session
// check then starts (or continues) now, in parallel with React's first render, and the team
// route's loader prefetches into the same client (app/routes.tsx).
const queryClient = createQueryClient();
adoptEarlyRequests(queryClient);
void queryClient.prefetchQuery(meQuery);

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <App queryClient={queryClient} />
  </StrictMode>,
);
