import { FleetPage } from '../features/fleet/FleetPage';
import { MotorPage } from '../features/motor/MotorPage';
import { RejectedPage } from '../features/rejected/RejectedPage';
import { ConnectPage } from '../features/connect/ConnectPage';
import { PlantServerPage } from '../features/connect/PlantServerPage';
import { PlantLinkProvider } from '../features/connect/plantLinkState';
import { SerialPage } from '../features/serial/SerialPage';
import { StatusBar } from '../features/status/StatusBar';
import { AlarmsPage } from '../features/alarms/AlarmsPage';
import { AlarmBadge } from '../features/alarms/AlarmBadge';
import { HealthProvider } from '../features/health/healthState';
import { CommandsProvider } from '../features/commands/commandsState';
import { ApprovalsPage } from '../features/commands/ApprovalsPage';
import { ApprovalBadge } from '../features/commands/ApprovalBadge';
import { Toasts } from '../features/alerts/Toasts';
import { useRejected } from '../engine/EngineProvider';
import { ChatPane } from '../features/chat/ChatPane';
import { ManualsPage } from '../features/manuals/ManualsPage';
import { BenchtestPage } from '../features/benchtest/BenchtestPage';
import { SessionsPage } from '../features/sessions/SessionsPage';
import { ROLE_DUTIES } from '../../shared/roles';
import { useServerSession, useWho } from '../features/sessions/serverSession';
import { hrefFor, useRoute, type Route } from './router';
import { setTheme, useTheme } from './theme';

export function App() {
  const route = useRoute();
  return (
    <HealthProvider>
    <CommandsProvider>
    <PlantLinkProvider>
    <div className="app">
      <Header route={route} />
      <main className="content">
        {route.page === 'fleet' && <FleetPage />}
        {route.page === 'motor' && (
          <div className="motor-with-chat">
            <MotorPage key={route.id} id={route.id} />
            <ChatPane key={`chat-${route.id}`} motorId={route.id} />
          </div>
        )}
        {route.page === 'manuals' && <ManualsPage />}
        {route.page === 'rejected' && <RejectedPage />}
        {route.page === 'connect' && <ConnectPage />}
        {route.page === 'alarms' && <AlarmsPage />}
        {route.page === 'approvals' && <ApprovalsPage />}
        {route.page === 'boards' && <SerialPage tab={route.tab} />}
        {route.page === 'bench' && <BenchtestPage tab={route.tab} />}
        {route.page === 'sessions' && <SessionsPage />}
        {route.page === 'server' && <PlantServerPage />}
      </main>
      <StatusBar />
      <Toasts />
    </div>
    </PlantLinkProvider>
    </CommandsProvider>
    </HealthProvider>
  );
}

function Header({ route }: { route: Route }) {
  const theme = useTheme();
  const rejected = useRejected();
  const session = useServerSession();
  const link = (page: 'fleet' | 'rejected' | 'connect' | 'boards' | 'manuals' | 'bench' | 'sessions' | 'server', label: string, extra?: string) => (
    <a href={hrefFor({ page } as Route)} className={route.page === page || (page === 'fleet' && route.page === 'motor') ? 'active' : ''} data-testid={`nav-${page}`}>
      {label}
      {extra}
    </a>
  );
  return (
    <header className="header">
      <span className="brand">MotorTwin</span>
      <nav>
        {link('fleet', 'Fleet')}
        {link('rejected', 'Rejected', rejected.length ? ` (${rejected.length >= 500 ? '500+' : rejected.length})` : '')}
        {link('boards', 'Boards')}
        {link('bench', 'Bench test')}
        {link('manuals', 'Manuals')}
        {link('connect', 'Add a board')}
        {link('server', 'Plant server')}
        {session && link('sessions', 'Sessions')}
      </nav>
      <ApprovalBadge />
      <AlarmBadge />
      <WhoAmI />
      <button className="ghost" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} title="Switch between light and dark" data-testid="theme-toggle">
        {theme === 'dark' ? 'Light theme' : 'Dark theme'}
      </button>
    </header>
  );
}

/** Who is logged in and as what; nothing for the desktop app's local user. */
function WhoAmI() {
  const who = useWho();
  if (who.kind === 'local') return null;
  return (
    <span className="muted small" title={ROLE_DUTIES[who.role]} data-testid="whoami">
      <b>{who.name}</b> · {who.role}
    </span>
  );
}
