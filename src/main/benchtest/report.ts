import type { BenchReportSummary, CriterionResult } from '../../shared/benchtestContract';
import type { BenchSample } from './criteria';
import type { PlotSpectrum } from './blockAnalysis';
import type { RunRecord } from './runRecord';
import { esc, svgPlot } from './svgPlot';
import { rundownSummaries, speedStepSummaries } from './stepSummary';

// The bench test report as one self-contained HTML page (inline SVG plots, inline CSS, no scripts, nothing
// fetched), which is also what the PDF is printed from.

export interface FleetComparison {
  criterion: string;
  unit: string;
  thisUnit: number | null;
  others: number[];
}

const fmt = (v: number | null, unit = '') => (v === null ? '—' : `${Number(v.toPrecision(4))}${unit ? ` ${unit}` : ''}`);
const date = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC');

function criterionRow(c: CriterionResult): string {
  return `<tr class="${c.result}" data-criterion="${esc(c.id)}"><td>${esc(c.name)}</td><td class="num" data-value="${c.value ?? ''}">${fmt(c.value, c.unit)}</td><td class="num" data-limit="${c.limit ?? ''}">${c.limit === null ? '—' : `≤ ${fmt(c.limit, c.unit)}`}</td><td class="result">${c.result.toUpperCase()}</td><td>${esc(c.detail)}<div class="source">Source: ${esc(c.source)}</div></td></tr>`;
}

function spectrumPlot(s: PlotSpectrum | null, title: string, testId: string): string {
  if (!s) return `<p class="muted">${esc(title)}: no waveform block was analysed.</p>`;
  const points = s.amplitude.map((a, i) => ({ x: i * s.df, y: a * 1000 }));
  const colors = ['#c0392b', '#8e44ad', '#16a085', '#d35400', '#2c3e50'];
  return `<h3>${esc(title)}</h3>${svgPlot([{ label: 'amplitude (mg)', color: '#1f5fa8', points }], { xLabel: 'frequency (Hz)', yLabel: 'mg', vLines: s.markers.map((m, i) => ({ x: m.hz, label: m.label, color: colors[i % colors.length] })), testId })}`;
}

function trendPlots(r: RunRecord, samples: BenchSample[]): string {
  if (!samples.length) return '<p class="muted">No readings were recorded.</p>';
  const series = (pick: (s: BenchSample) => number | null) => samples.map((s) => ({ x: s.t / 60, y: pick(s) ?? NaN }));
  const bounds = r.steps.filter((s) => s.kind !== 'manual' && s.startedAtS !== null).map((s) => ({ x: (s.startedAtS as number) / 60, label: s.id, color: '#777' }));
  const crit = (id: string) => r.criteria.find((c) => c.id === id);
  const rise = crit('temperature_rise');
  const ambient = samples.find((s) => s.ambient !== null)?.ambient ?? null;
  const hTemp = rise?.limit != null && ambient !== null ? [{ y: ambient + rise.limit, label: `ambient + ${rise.limit} K`, color: '#c0392b' }] : [];
  const iso = crit('iso_zone');
  return [
    svgPlot([{ label: 'frame temperature (°C)', color: '#d35400', points: series((s) => s.temperature) }, { label: 'ambient (°C)', color: '#7f8c8d', points: series((s) => s.ambient) }], { xLabel: 'motor time (min)', yLabel: '°C', hLines: hTemp, vLines: bounds, testId: 'plot-temperature' }),
    svgPlot([{ label: 'speed (r/min)', color: '#2c3e50', points: series((s) => s.rpm) }], { xLabel: 'motor time (min)', yLabel: 'r/min', vLines: bounds, hLines: r.nameplate.ratedRpm ? [{ y: r.nameplate.ratedRpm, label: 'nameplate', color: '#16a085' }] : [], testId: 'plot-speed' }),
    svgPlot([{ label: 'velocity RMS (mm/s, telemetry)', color: '#1f5fa8', points: series((s) => s.vibVelocity) }], { xLabel: 'motor time (min)', yLabel: 'mm/s', vLines: bounds, hLines: iso?.limit != null ? [{ y: iso.limit, label: 'zone B/C', color: '#c0392b' }] : [], testId: 'plot-velocity' }),
  ].join('');
}

/** Speed steps and run-downs: reported, and judged only where the procedure names a criterion for them. */
function speedSection(r: RunRecord, samples: BenchSample[]): string {
  const steps = speedStepSummaries(r.procedure, r.nameplate, r.steps, samples);
  const downs = rundownSummaries(r.procedure, r.steps, samples);
  if (!steps.length && !downs.length) return '';
  const stepRows = steps
    .map((s) => `<tr data-speed-step="${esc(s.id)}"><td>${esc(s.title)}</td><td class="num">${fmt(s.setRpm, 'r/min')}</td><td class="num" data-mean-rpm="${s.meanRpm ?? ''}">${fmt(s.meanRpm, 'r/min')}</td><td class="num" data-velocity="${s.velocityMmS ?? ''}">${fmt(s.velocityMmS, 'mm/s')}</td><td class="num">${s.readings}</td></tr>`)
    .join('');
  const stepTable = steps.length
    ? `<h3>Speed steps</h3><table data-testid="speed-steps"><tr><th>Step</th><th>Set speed</th><th>Mean speed</th><th>Velocity RMS (median, telemetry)</th><th>Readings</th></tr>${stepRows}</table>`
    : '';
  const downHtml = downs
    .map(
      (d) =>
        `<h3>${esc(d.title)}</h3><table data-testid="rundown" data-rundown="${esc(d.id)}"><tr><th>From</th><td class="num">${fmt(d.fromRpm, 'r/min')}</td></tr><tr><th>Run-down time (to below ${d.stoppedBelowRpm} r/min)</th><td class="num" data-stop-s="${d.stopS ?? ''}">${d.stopS === null ? 'did not stop within the step' : `${d.stopS} s`}</td></tr><tr><th>Vibration peak on the way (resonance)</th><td class="num" data-peak="${d.peakVelocityMmS ?? ''}">${fmt(d.peakVelocityMmS, 'mm/s')} at ${fmt(d.peakAtRpm, 'r/min')}</td></tr></table>` +
        (d.curve.length > 1 ? svgPlot([{ label: 'velocity RMS (mm/s) against speed', color: '#8e44ad', points: d.curve.map((p) => ({ x: p.rpm, y: p.velocity })) }], { xLabel: 'speed (r/min)', yLabel: 'mm/s', testId: 'plot-rundown' }) : ''),
    )
    .join('');
  return `<h2>Speed steps and run-down</h2>${stepTable}${downHtml}`;
}

function comparison(rows: FleetComparison[], model: string | null): string {
  if (!rows.some((r) => r.others.length)) return `<p class="muted">No earlier unit of model ${esc(model ?? '(none given)')} has been tested: nothing to compare against.</p>`;
  const body = rows
    .map((r) => {
      const o = [...r.others].sort((a, b) => a - b);
      const rank = r.thisUnit === null ? null : Math.round((o.filter((v) => v <= (r.thisUnit as number)).length / o.length) * 100);
      return `<tr><td>${esc(r.criterion)}</td><td class="num">${fmt(r.thisUnit, r.unit)}</td><td class="num">${o.length}</td><td class="num">${fmt(o[0] ?? null, r.unit)} – ${fmt(o[o.length - 1] ?? null, r.unit)}</td><td class="num">${fmt(o.length ? o[o.length >> 1] : null, r.unit)}</td><td class="num">${rank === null ? '—' : `${rank} %`}</td></tr>`;
    })
    .join('');
  return `<table class="compare"><tr><th>Criterion</th><th>This unit</th><th>Earlier units</th><th>Range</th><th>Median</th><th>Share at or below this unit</th></tr>${body}</table>`;
}

export function reportHtml(r: RunRecord, samples: BenchSample[], earlier: { runs: BenchReportSummary[]; comparison: FleetComparison[] }): string {
  const np = r.nameplate;
  const nameplateRows: Array<[string, string]> = [
    ['Manufacturer / model', `${np.manufacturer ?? '—'} / ${np.model ?? '—'}`],
    ['Serial number', r.serialNumber],
    ['Rated power / speed', `${fmt(np.ratedKw, 'kW')} / ${fmt(np.ratedRpm, 'r/min')}`],
    ['Rated voltage / current', `${fmt(np.ratedVoltage, 'V')} / ${fmt(np.ratedCurrent, 'A')}`],
    ['Insulation class', np.insulationClass ?? '—'],
    ['Bearings DE / NDE', `${np.bearingDe ?? '—'} / ${np.bearingNde ?? '—'}`],
    ['ISO 20816-3 group / support', `${np.isoGroup ?? '—'} / ${np.foundation ?? '—'}`],
  ];
  const src = r.source.kind === 'sim' ? `simulator${r.source.fault ? `, fault ${r.source.fault}` : ''}, speedup ${r.source.speedup}×` : r.source.kind === 'serial' ? `USB serial ${r.source.path}` : `MQTT ${r.source.deviceId}`;
  const certs = r.certificates.length
    ? `<ul>${r.certificates.map((c) => `<li>${esc(c.sensor)}: certificate ${esc(c.id)} (${date(c.createdAt)}, calibration ${esc(c.calibrationId)}, instrument ${esc(c.instrument)} ${esc(c.instrumentCertificate)}, by ${esc(c.technician)})</li>`).join('')}</ul>`
    : '';
  const steps = r.steps
    .map((s) => `<tr data-step="${esc(s.id)}"><td>${esc(s.title)}</td><td>${s.kind}</td><td>${s.state}</td><td class="num">${s.startedAtS === null ? '—' : Math.round(s.startedAtS)}–${s.endedAtS === null ? '—' : Math.round(s.endedAtS)} s</td><td class="num">${s.attempt}</td><td>${esc(s.note ?? '')}</td></tr>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bench test ${esc(r.serialNumber)} — ${r.verdict}</title><style>
body{font-family:sans-serif;font-size:11px;color:#222;margin:24px}h1{font-size:18px;margin:0 0 4px}h2{font-size:14px;margin:18px 0 6px;border-bottom:1px solid #999}h3{font-size:12px;margin:10px 0 4px}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:3px 5px;vertical-align:top;text-align:left}.num{text-align:right;white-space:nowrap}
.verdict{display:inline-block;padding:4px 12px;font-size:16px;font-weight:bold;color:#fff}.verdict.pass{background:#1e8449}.verdict.fail{background:#c0392b}.verdict.incomplete{background:#b9770e}
tr.fail .result{color:#c0392b;font-weight:bold}tr.pass .result{color:#1e8449}tr.warn .result,tr.incomplete .result{color:#b9770e;font-weight:bold}.source{color:#555;font-size:9px;margin-top:2px}.muted{color:#777}
.sign td{height:48px}.warn{color:#b9770e}svg{display:block;margin:6px 0;page-break-inside:avoid}.grid{display:grid;grid-template-columns:1fr 1fr;gap:0 24px}
</style></head><body>
<h1>Bench test report — motor ${esc(r.serialNumber)}</h1>
<p><span class="verdict ${r.verdict}" data-testid="verdict">${r.verdict.toUpperCase()}</span> &nbsp; run <b data-testid="run-id">${esc(r.runId)}</b>, ${date(r.startedAt)} to ${date(r.endedAt)}</p>
${r.abortReason ? `<p class="warn">Aborted: ${esc(r.abortReason)}</p>` : ''}
${r.warnings.map((w) => `<p class="warn">Warning: ${esc(w)}</p>`).join('')}
<div class="grid"><div><h2>Nameplate</h2><table>${nameplateRows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table></div>
<div><h2>Test set-up</h2><table>
<tr><th>Procedure</th><td>${esc(r.procedure.title)} (${esc(r.procedure.name)} version ${esc(r.procedure.version)})</td></tr>
<tr><th>Operator</th><td>${esc(r.operator)}</td></tr>
<tr><th>Readings from</th><td>${esc(src)}</td></tr>
<tr><th>Board</th><td>${esc(r.deviceId)}: ${esc(r.board.board ?? '—')}, firmware ${esc(r.board.fw ?? '—')}, calibration ${esc(r.board.calibrationId ?? '—')}</td></tr>
<tr><th>Calibration</th><td class="${r.calibration.state === 'ok' || r.calibration.state === 'sim' ? '' : 'warn'}">${esc(r.calibration.detail)}${certs}</td></tr>
</table></div></div>
<h2>Acceptance criteria</h2>
<table data-testid="criteria"><tr><th>Criterion</th><th>Measured</th><th>Limit</th><th>Result</th><th>Detail and source</th></tr>${r.criteria.map(criterionRow).join('')}</table>
<h2>Steps</h2><table><tr><th>Step</th><th>Kind</th><th>State</th><th>Motor time</th><th>Attempt</th><th>Note</th></tr>${steps}</table>
<h2>Trends</h2>${trendPlots(r, samples)}
${speedSection(r, samples)}
<h2>Spectra (last waveform block of the final run step)</h2>
${spectrumPlot(r.plots.spectrum, 'Acceleration spectrum with shaft lines', 'plot-spectrum')}
${spectrumPlot(r.plots.envelope, 'Envelope spectrum with bearing defect lines', 'plot-envelope')}
<h2>Against earlier units of model ${esc(np.model ?? '—')}</h2>
${comparison(earlier.comparison, np.model)}
${earlier.runs.length ? `<p class="muted">Earlier runs of this serial number: ${earlier.runs.map((e) => `${esc(e.runId)} (${e.verdict})`).join(', ')}</p>` : ''}
<h2>Signatures</h2>
<table class="sign"><tr><th>Tested by</th><th>Checked by</th><th>Released by</th></tr><tr><td>${esc(r.operator)}<br>Date:</td><td>Name:<br>Date:</td><td>Name:<br>Date:</td></tr></table>
</body></html>`;
}
