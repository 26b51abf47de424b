import { useEffect, useMemo, useRef, useState } from 'react';
import type { ReadingName } from '../../../shared/readings';
import type { TwinSnapshot } from '../../../shared/twin';
import { alarmNodes, bearingFault, nodeColours, type AlarmLike } from './alarmParts';
import { heatScale } from './colormap';
import { HeatLegend, VibrationLegend } from './Legends';
import MotorCanvas, { type Pick, type ViewName } from './MotorCanvas';
import { buildMotor, defaultSites } from './motorGeometry';
import { motorDims } from './motorDims';
import type { OverlayInputs } from './overlayPainter';
import { PartPanel } from './PartPanel';
import { ModelControls, type Placing } from './ModelControls';
import { SensorTags } from './SensorTags';
import { PLACEABLE, readingsOn, siteOf } from './sites';
import { TimeSlider } from './TimeSlider';
import { useHealthFeed } from './useHealthFeed';
import { useHealth } from '../health/healthState';
import { useModelSetup } from './useModelSetup';
import { replayAt, useReplay } from './useReplay';
import { dominantFrequency, zoneFor } from './vibration';
import { useNow } from '../../ui/useNow';
import { useThrottled } from './useThrottled';
import './twin3d.css';

const EMPTY = new Set<string>();

/** The motor page's centre: the 3D twin with its overlays, tags, picking, replay and custom models. */
export default function Twin3DView({ twin }: { twin: TwinSnapshot }) {
  const setup = useModelSetup(twin.id);
  const health = useHealthFeed(twin.id);
  const dims = useMemo(() => motorDims(twin.nameplate.ratedKw), [twin.nameplate.ratedKw]);
  const builtin = useMemo(() => buildMotor(dims), [dims]);
  useEffect(() => () => builtin.dispose(), [builtin]);
  const model = setup.custom ?? builtin;
  const sites = useMemo(() => (setup.custom ? setup.sites : { ...defaultSites(dims), ...setup.sites }), [setup.custom, setup.sites, dims]);

  const [heat, setHeat] = useState(true);
  const [vibration, setVibration] = useState(true);
  const [showTags, setShowTags] = useState(true);
  const [view, setView] = useState<{ name: ViewName; nonce: number }>({ name: 'home', nonce: 0 });
  const [selected, setSelected] = useState<string | null>(null);
  const [placing, setPlacing] = useState<Placing>(null);
  const [lost, setLost] = useState(false);
  const [canvasKey, setCanvasKey] = useState(0);
  const [replayOn, setReplayOn] = useState(false);
  const [replayIndex, setReplayIndex] = useState(Number.MAX_SAFE_INTEGER);
  const replay = useReplay(twin.id, replayOn);
  const now = useNow(5000);

  const sample = replay.data?.t.length ? replayAt(replay.data, Math.min(replayIndex, replay.data.t.length - 1)) : null;
  const values: Partial<Record<ReadingName, number | null>> = sample ? sample.values : Object.fromEntries(Object.entries(twin.readings).map(([k, v]) => [k, v?.value ?? null]));
  // Transitions carry no condition or severity: the replayed alarm is placed by its message.
  const alarms: AlarmLike[] = sample
    ? sample.active.map((tr) => ({ id: tr.alarmId, condition: '', message: tr.message, state: tr.to, source: 'rule', shelvedUntil: null, severity: 'major' }))
    : health.alarms;
  const nodeOf = (r: ReadingName) => siteOf(sites, r)?.node ?? null;
  const byNode = alarmNodes(alarms, nodeOf, sample?.ts ?? now);
  const fault = sample ? null : bearingFault(health.analysis);
  // The banner says what the assessment says (an early-stage defect in zone A is not an alarm).
  const finding = useHealth(twin.id)?.assessment.findings.find((f) => f.source === 'diagnosis');
  const faultNode = fault ? (sites.vib_velocity?.node ?? null) : null;
  const valuesKey = JSON.stringify(values);
  // What people read (tags, panel, legends) follows at 4 Hz; the model itself follows every reading.
  const shown = JSON.parse(useThrottled(valuesKey, 250)) as typeof values;
  const zone = zoneFor(shown.vib_velocity, twin.nameplate);
  const limitsInfo = zoneFor(0, twin.nameplate);
  const scale = heatScale(twin.limits.temperature?.alarmAbove);

  // The scene reads these every frame; React only writes them when something changed.
  const inputs = useRef<OverlayInputs>({ version: 0, values: {}, alarmNodes: EMPTY, faultNodes: EMPTY, heat, vibration, alarmAbove: null, nameplate: twin.nameplate });
  // The assessment's colours: red where an alarm is at alert or danger, amber where a finding is worth watching.
  const { red, amber } = nodeColours(byNode, faultNode);
  const alarmKey = red.join(',');
  const amberKey = amber.join(',');
  useEffect(() => {
    const i = inputs.current;
    i.values = JSON.parse(valuesKey) as OverlayInputs['values'];
    i.alarmNodes = new Set(alarmKey ? alarmKey.split(',') : []);
    i.faultNodes = amberKey ? new Set(amberKey.split(',')) : EMPTY;
    i.heat = heat;
    i.vibration = vibration;
    i.alarmAbove = twin.limits.temperature?.alarmAbove ?? null;
    i.nameplate = twin.nameplate;
    i.version++;
  }, [valuesKey, alarmKey, amberKey, heat, vibration, twin.limits.temperature?.alarmAbove, twin.nameplate, model, sites]);

  const tags = useRef(new Map<ReadingName, HTMLElement>());
  // Current has a tag only on motors that report it at all.
  const tagReadings = PLACEABLE.filter((r) => sites[r]?.point && (r !== 'current' || r in twin.readings));

  useEffect(() => {
    if (!placing) return;
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && setPlacing(null);
    window.addEventListener('keydown', esc);
    return () => window.removeEventListener('keydown', esc);
  }, [placing]);

  const restart = () => {
    setCanvasKey(canvasKey + 1);
    setLost(false);
  };

  const onPick = (p: Pick) => {
    if (placing === 'turning') setup.toggleTurning(p.node);
    else if (placing) {
      setup.setSite(placing, { node: p.node, point: p.point });
      setPlacing(null);
    } else setSelected(p.node);
  };

  return (
    <section className="panel twin3d" data-testid="twin3d">
      <div className="panel-head">
        <h2>3D twin</h2>
        <span className="muted small">
          {setup.customName ?? `built-in motor, IEC frame ${dims.frame}${dims.assumed ? ' (assumed: no rated power on the nameplate)' : ''}`}
        </span>
        <span className="spacer" />
        <div className="segmented" role="group" aria-label="Overlays">
          <button className={heat ? 'on' : ''} onClick={() => setHeat(!heat)} data-testid="toggle-heat">
            Heat
          </button>
          <button className={vibration ? 'on' : ''} onClick={() => setVibration(!vibration)} data-testid="toggle-vibration">
            Vibration
          </button>
          <button className={showTags ? 'on' : ''} onClick={() => setShowTags(!showTags)} data-testid="toggle-tags">
            Tags
          </button>
        </div>
        <div className="segmented" role="group" aria-label="View">
          {(['home', 'front', 'side', 'top'] as const).map((v) => (
            <button key={v} onClick={() => setView({ name: v, nonce: view.nonce + 1 })} data-testid={`view-${v}`}>
              {v === 'home' ? 'Reset view' : v[0].toUpperCase() + v.slice(1)}
            </button>
          ))}
        </div>
      </div>
      {setup.message && (
        <div className={setup.message.kind === 'error' ? 'error' : 'muted small'} data-testid="twin3d-message">
          {setup.message.text}
        </div>
      )}
      <div className={`twin3d-stage${placing ? ' placing' : ''}`} data-testid="twin3d-stage">
        <MotorCanvas key={canvasKey} model={model} sites={sites} inputs={inputs} tags={tags} view={view} onPick={onPick} onContext={setLost} />
        {showTags && <SensorTags readings={tagReadings} values={shown} zone={zone} tags={tags} />}
        {placing && (
          <div className="twin3d-banner">
            {placing === 'turning' ? 'Click the parts that turn with the shaft (again to undo) · Esc when done' : `Click where the ${placing.replace('_', ' ')} sensor sits · Esc to cancel`}
          </div>
        )}
        {fault && faultNode && <div className="twin3d-banner fault" data-testid="fault-banner">{`${finding ? finding.text.charAt(0).toUpperCase() + finding.text.slice(1) : `Diagnosis: ${fault}`} at the ${faultNode.replace('_', ' ')}`}</div>}
        {lost && (
          <div className="twin3d-lost" data-testid="context-lost">
            The graphics context was lost; restoring it…{' '}
            <button onClick={restart}>Restart the 3D view</button>
          </div>
        )}
        {selected && (
          <PartPanel
            motorId={twin.id}
            node={selected}
            readings={readingsOn(sites, selected).filter((r) => r in values || r === 'temperature' || r === 'vib_velocity')}
            values={shown}
            zone={zone}
            alarms={byNode.get(selected) ?? []}
            fault={selected === faultNode ? fault : null}
            replaying={Boolean(sample)}
            onClose={() => setSelected(null)}
          />
        )}
      </div>
      <TimeSlider on={replayOn} data={replay.data} error={replay.error} index={replayIndex} onToggle={setReplayOn} onIndex={setReplayIndex} />
      <div className="twin3d-legends">
        {heat && <HeatLegend scale={scale} ambientKnown={shown.ambient !== undefined && shown.ambient !== null} />}
        {vibration && <VibrationLegend zone={zone} limits={limitsInfo} dominant={dominantFrequency(health.analysis)} rpm={shown.rpm ?? null} />}
      </div>
      <ModelControls setup={setup} placing={placing} onPlace={setPlacing} />
      {health.unavailable && <div className="muted small">{health.unavailable}</div>}
    </section>
  );
}
