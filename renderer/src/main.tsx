import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/client.js';
import { App } from './components/App.js';
import { readAddFragment } from './lib/add-input.js';
import { ClientContext } from './state/client-context.js';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/reader.css';

// The bookmarklet opens Folio as …#add=<url>. Read it once and clear it at once, so a reload
// or a shared link does not save the same page again.
const initialAdd = readAddFragment(window.location.hash);
if (/^#add=/.test(window.location.hash)) history.replaceState(null, '', window.location.pathname + window.location.search);

const client = createClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <App initialAdd={initialAdd} />
    </ClientContext.Provider>
  </StrictMode>,
);
