import { ProcedureList } from './ProcedureList';
import { ReportsList } from './ReportsList';
import { RunnerView } from './RunnerView';
import './benchtest.css';

const TABS = [
  ['run', 'Run a test'],
  ['procedures', 'Procedures'],
  ['reports', 'Reports'],
] as const;

/** Bench testing of new motors: run a procedure, edit procedures, read reports per serial number. */
export function BenchtestPage({ tab }: { tab: string }) {
  return (
    <div className="page benchtest" data-testid="benchtest-page">
      <div className="tabs">
        {TABS.map(([id, label]) => (
          <a key={id} href={id === 'run' ? '#/bench' : `#/bench/${id}`} className={tab === id ? 'active' : ''} data-testid={`bench-tab-${id}`}>
            {label}
          </a>
        ))}
      </div>
      {tab === 'procedures' ? <ProcedureList /> : tab === 'reports' ? <ReportsList /> : <RunnerView />}
    </div>
  );
}
