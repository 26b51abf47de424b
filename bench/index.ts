import { benchIngest } from './ingest.bench';
import { benchDecode } from './decode.bench';
import { benchHistory } from './history.bench';
import { benchSoak } from './soak.bench';
import { benchScreenLatency } from './screenLatency.bench';
import { benchVibration } from './vibration.bench';
import { benchBearingConfusion } from './bearingConfusion';
import { benchTwin3d } from './twin3d.bench';
import { benchHealth } from './health.bench';
import { benchSerial } from './serial.bench';
import { benchModbus } from './modbus.bench';
import { benchAgent } from './agent.bench';
import { benchSparkplug } from './sparkplug.bench';
import { benchManualQa } from './manualQa.bench';
import { benchImport } from './import.bench';
import { benchBigImport } from './bigImport.bench';
import { benchServeCpu } from './serveCpu.bench';
import { benchBrokerFloor } from './brokerFloor.bench';
import { benchCli } from './cli.bench';
import { benchPgStore } from './pgStore.bench';
import { benchRendererCpu } from './rendererCpu.bench';
import { benchStandby } from './standby.bench';
import { benchFlood } from './flood.bench';
import { readFileSync } from 'node:fs';
import type { Figure } from './figure';
import { findRegressions, type Reference } from './regression';

// `npm run bench [-- --quick] [-- --json] [-- --only=NAME,...] [-- --check=REFERENCE.json]`: every
// performance target of the issues, each measured against a baseline taken in the same run, printed as a
// table and as JSON. With --check the exit code says only whether a figure's ratio got more than 2x worse
// than in the reference (what CI gates on: its machine is too noisy for the goals themselves).

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const json = args.includes('--json');
const onlyArg = args.find((a) => a.startsWith('--only='))?.slice(7);
const only = onlyArg ? onlyArg.split(',') : null;
const checkArg = args.find((a) => a.startsWith('--check='))?.slice(8);
const reference: Reference | null = checkArg ? (JSON.parse(readFileSync(checkArg, 'utf8')) as { figures: Reference }).figures : null;

/** `full`: only in the full bench (it starts several servers; the quick one runs on every `npm test`). */
type Suite = { name: string; run: (o: { quick: boolean }) => Promise<Figure[]>; full?: true };
const suites: Suite[] = [
  { name: 'ingest', run: benchIngest },
  { name: 'decode', run: benchDecode },
  { name: 'history', run: benchHistory },
  { name: 'vibration', run: benchVibration },
  { name: 'bearing-confusion', run: benchBearingConfusion },
  { name: 'health', run: benchHealth },
  { name: 'screen', run: benchScreenLatency },
  { name: 'twin3d', run: benchTwin3d },
  { name: 'soak', run: benchSoak },
  { name: 'flood', run: benchFlood },
  { name: 'serial', run: benchSerial },
  { name: 'modbus', run: benchModbus },
  { name: 'agent', run: benchAgent },
  { name: 'sparkplug', run: benchSparkplug },
  { name: 'manualqa', run: benchManualQa },
  { name: 'import', run: benchImport },
  { name: 'big-import', run: benchBigImport },
  { name: 'serve-cpu', run: benchServeCpu },
  { name: 'broker-floor', run: benchBrokerFloor },
  { name: 'cli', run: benchCli },
  { name: 'pgstore', run: benchPgStore },
  { name: 'renderer-cpu', run: benchRendererCpu },
  { name: 'standby', run: benchStandby, full: true },
];

const figures: Figure[] = [];
const failures: string[] = [];
for (const s of suites) {
  if (only && !only.includes(s.name)) continue;
  if (quick && s.full) {
    process.stderr.write(`skipping ${s.name} (full bench only)\n`);
    continue;
  }
  process.stderr.write(`running ${s.name}${quick ? ' (quick)' : ''}…\n`);
  try {
    figures.push(...(await s.run({ quick })));
  } catch (e) {
    failures.push(`${s.name}: ${(e as Error).message}`);
  }
}

if (json) {
  process.stdout.write(`${JSON.stringify({ quick, figures: figures.map(({ baselineName: _b, ...f }) => f), errors: failures }, null, 2)}\n`);
} else {
  const rows = figures.map((f) => [f.pass ? 'pass' : 'FAIL', f.name, `${f.value} ${f.unit}`, f.baseline === null ? '-' : `${f.baseline}`, f.ratio === null ? '-' : `${f.ratio}`, f.goal]);
  const head = ['', 'figure', 'value', 'baseline', 'ratio', 'goal'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  process.stdout.write(`${line(head)}\n${rows.map(line).join('\n')}\n`);
  for (const f of figures) if (f.baselineName) process.stdout.write(`  ${f.name}: baseline = ${f.baselineName}\n`);
  for (const e of failures) process.stdout.write(`error: ${e}\n`);
}
if (reference) {
  const regressions = findRegressions(figures, reference);
  process.stderr.write(regressions.length ? `regressions against ${checkArg}:\n${regressions.map((r) => `  ${r}`).join('\n')}\n` : `no regression against ${checkArg}\n`);
  process.exitCode = failures.length || regressions.length ? 1 : 0;
} else process.exitCode = failures.length || figures.some((f) => !f.pass) ? 1 : 0;
