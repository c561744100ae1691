/** The page: a header with the connection and the views' links, the routed view, the confirm dialog. */
import { useEffect, useState, type ReactNode } from 'react';
import { ConfirmFault } from './confirm.js';
import { useWeb, useWebStore } from './context.js';
import { routeOf, type Route } from './route.js';
import { Agents } from './views/agents.js';
import { Events } from './views/events.js';
import { FrameworkPage, Frameworks } from './views/frameworks.js';
import { Masters } from './views/masters.js';
import { Offers } from './views/offers.js';
import { Overview } from './views/overview.js';
import { TaskPage } from './views/task-page.js';
import { Tasks } from './views/tasks.js';

const NAV: ReadonlyArray<{ readonly href: string; readonly label: string; readonly views: readonly Route['view'][] }> = [
  { href: '#/', label: 'Overview', views: ['overview'] },
  { href: '#/agents', label: 'Agents', views: ['agents'] },
  { href: '#/frameworks', label: 'Frameworks', views: ['frameworks', 'framework'] },
  { href: '#/tasks', label: 'Tasks', views: ['tasks', 'task'] },
  { href: '#/offers', label: 'Offers', views: ['offers'] },
  { href: '#/masters', label: 'Masters', views: ['masters'] },
  { href: '#/events', label: 'Events', views: ['events'] },
];

function useHashRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const on = (): void => setHash(window.location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return routeOf(hash);
}

function View(props: { readonly route: Route }): ReactNode {
  const { route } = props;
  switch (route.view) {
    case 'overview':
      return <Overview />;
    case 'agents':
      return <Agents />;
    case 'frameworks':
      return <Frameworks />;
    case 'framework':
      return <FrameworkPage id={route.id} />;
    case 'tasks':
      return <Tasks />;
    case 'task':
      return <TaskPage id={route.id} />;
    case 'offers':
      return <Offers />;
    case 'masters':
      return <Masters />;
    case 'events':
      return <Events />;
    case 'unknown':
      return (
        <section>
          <h1>No such page</h1>
          <p>
            Nothing lives at <code>{route.hash}</code>. <a href="#/">Overview</a>
          </p>
        </section>
      );
    default: {
      const never: never = route;
      return never;
    }
  }
}

/** The whole page. */
export function App(): ReactNode {
  const route = useHashRoute();
  const connection = useWeb((s) => s.connection);
  const notice = useWeb((s) => s.notice);
  const store = useWebStore();
  useEffect(() => {
    const titles: Record<string, string> = { overview: 'Overview', agents: 'Agents', frameworks: 'Frameworks', framework: 'Framework', tasks: 'Tasks', task: 'Task', offers: 'Offers', masters: 'Masters', events: 'Events', unknown: 'Not found' };
    document.title = `${titles[route.view] ?? ''} · faultline`;
  }, [route.view]);
  return (
    <>
      <a className="skip" href="#main">
        Skip to the content
      </a>
      <header className="top">
        <a className="brand" href="#/">
          faultline
        </a>
        <nav aria-label="Views">
          <ul>
            {NAV.map((n) => (
              <li key={n.href}>
                <a href={n.href} aria-current={n.views.includes(route.view) ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p className={`conn conn-${connection.status}`} role="status" data-testid="connection">
          <span className="dot" aria-hidden="true" />
          {connection.status === 'live' ? 'live' : connection.message}
        </p>
      </header>
      {notice ? (
        <div className={`notice notice-${notice.tone}`} role="alert">
          {notice.text}{' '}
          <button type="button" className="link" onClick={() => store.setState({ notice: null })}>
            Dismiss
          </button>
        </div>
      ) : null}
      <main id="main" tabIndex={-1}>
        <View route={route} />
      </main>
      <ConfirmFault />
    </>
  );
}
