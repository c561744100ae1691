/** The page's entry point: one store, the operator API client, React on #root. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { OperatorClient } from './client.js';
import { WebContext } from './context.js';
import { createWebStore } from './store.js';

const store = createWebStore();
const client = new OperatorClient({
  store,
  onLeaderElsewhere: (origin) => {
    // Only another origin: the same one would loop (a leader that redirects to itself is recovering).
    if (origin !== window.location.origin) window.location.replace(`${origin}/${window.location.hash}`);
  },
});
const root = document.getElementById('root');
if (root === null) throw new Error('assertion failed: index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <WebContext.Provider value={{ store, actions: client }}>
      <App />
    </WebContext.Provider>
  </StrictMode>,
);
client.start();
