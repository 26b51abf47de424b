import type { Certificate, Measurement } from '../../shared/serialContract';

// A calibration certificate as a self-contained HTML page with print CSS: "Save as PDF" in any browser
// (or the desktop app's print-to-PDF) gives the PDF, without a PDF library in the engine.

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const SENSOR_NAMES: Record<Certificate['sensor'], string> = { temperature: 'Temperature (frame)', accel: 'Accelerometer zero offset', rpm: 'Shaft speed (pulses per revolution)' };
const UNITS: Record<Certificate['sensor'], string> = { temperature: '°C', accel: 'g', rpm: 'rpm' };

function measurementRows(label: string, m: Measurement): string {
  const axes = m.mean.length === 3 ? ['x', 'y', 'z'] : [''];
  return axes
    .map(
      (axis, i) =>
        `<tr><td>${esc(label)}${axis ? ` (${axis})` : ''}</td><td>${esc(m.mean[i])}</td><td>${esc(m.std[i])}</td><td>${esc(m.n)} over ${esc(m.seconds)} s</td></tr>`,
    )
    .join('');
}

export function certificateHtml(c: Certificate): string {
  const when = new Date(c.createdAt).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
  const values = Object.entries(c.values)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(Array.isArray(v) ? v.join(', ') : v)}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Calibration certificate ${esc(c.id)}</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; color: #111; margin: 2.5rem auto; max-width: 48rem; padding: 0 1rem; }
  h1 { font-size: 1.5rem; margin-bottom: 0.2rem; } .sub { color: #555; margin-top: 0; }
  table { border-collapse: collapse; width: 100%; margin: 0.8rem 0 1.4rem; }
  th, td { border: 1px solid #bbb; padding: 0.35rem 0.6rem; text-align: left; vertical-align: top; }
  th { background: #f1f1f1; width: 16rem; } thead th { width: auto; }
  .sign { display: flex; gap: 3rem; margin-top: 3rem; } .sign div { flex: 1; border-top: 1px solid #333; padding-top: 0.3rem; }
  @media print { body { margin: 0; max-width: none; } @page { size: A4; margin: 18mm; } .noprint { display: none; } }
</style></head>
<body>
<h1>Calibration certificate</h1>
<p class="sub">No. <strong>${esc(c.id)}</strong> · issued ${esc(when)} by MotorTwin</p>
<table>
  <tr><th>Board (device id)</th><td>${esc(c.deviceId)}${c.board ? ` · ${esc(c.board)}` : ''}</td></tr>
  <tr><th>Connected on</th><td>${esc(c.port ?? '-')}</td></tr>
  <tr><th>Sensor</th><td>${esc(SENSOR_NAMES[c.sensor])}</td></tr>
  <tr><th>Reference instrument</th><td>${esc(c.instrument)} · certificate ${esc(c.instrumentCertificate)}</td></tr>
  <tr><th>Calibrated by</th><td>${esc(c.technician)}</td></tr>
  <tr><th>Calibration id on the board</th><td>${esc(c.calibrationId)}</td></tr>
</table>
<h2>Values stored on the board</h2>
<table>${values}</table>
<h2>Readings before and after (${esc(UNITS[c.sensor])})</h2>
<table><thead><tr><th>when</th><th>mean</th><th>standard deviation</th><th>samples</th></tr></thead>
<tbody>${measurementRows('before', c.before)}${measurementRows('after', c.after)}</tbody></table>
${c.notes ? `<p>${esc(c.notes)}</p>` : ''}
<div class="sign"><div>Calibrated by: ${esc(c.technician)}</div><div>Checked by:</div></div>
<p class="noprint" style="margin-top:2rem;color:#555">To keep a PDF: print this page and choose "Save as PDF".</p>
</body></html>
`;
}
