import { READINGS, type ReadingName } from '../../shared/readings';
import type { Citation, ToolStep } from '../../shared/agentContract';
import type { ManualLibrary } from '../manuals/library';
import { CitationBook, manualQuery, toolLabel } from './tools';
import { historyFacts, twinState, vibrationFacts, type TwinSource } from './twinFacts';

// The chat without a language model: the twin's state, health breakdown, active alarms with their rules, the
// vibration diagnosis and the manual passages that match the question, written out deterministically and
// labelled as not coming from a model.

export const FALLBACK_LABEL = 'Not from a language model: no model is configured, so this answer is put together directly from the twin and the manuals.';

export interface FallbackAnswer {
  content: string;
  steps: ToolStep[];
  citations: Citation[];
}

const TOPICS: Array<{ metric: ReadingName; words: RegExp }> = [
  { metric: 'temperature', words: /\b(hot|heat|overheat\w*|temperature|thermal|warm|cool\w*)\b/i },
  { metric: 'vibration', words: /\b(vibrat\w*|noise|noisy|bearing\w*|shak\w*|unbalance|misalign\w*)\b/i },
  { metric: 'rpm', words: /\b(speed|rpm|slow\w*|stall\w*)\b/i },
  { metric: 'current', words: /\b(current|amps?|overload\w*)\b/i },
];

export async function fallbackAnswer(src: TwinSource, manuals: ManualLibrary, motorId: string, question: string): Promise<FallbackAnswer> {
  const steps: ToolStep[] = [];
  const step = (name: string, args: Record<string, unknown>, ok = true) => steps.push({ name, args, label: toolLabel(name, args, motorId), ok });
  const out: string[] = [`_${FALLBACK_LABEL}_`, ''];

  if (src.twins.get(motorId)) {
    const s = twinState(src, motorId);
    step('get_twin_state', {});
    const readings = Object.entries(s.readings)
      .filter(([k]) => ['temperature', 'vibration', 'rpm', 'current', 'vib_velocity', 'ambient'].includes(k))
      .map(([k, v]) => `${READINGS[k as ReadingName]?.label ?? k} ${v.value} ${v.unit}`.trim());
    out.push(`**${s.name}** is **${s.status}** (${s.connection}${s.lastSeen ? `, last reading ${s.lastSeen.slice(11, 19)} UTC` : ''}).`);
    if (readings.length) out.push(`Readings: ${readings.join(', ')}.`);
    const h = s.health;
    out.push('', `**Health** ${h.index === null ? 'not known yet' : `${Math.round(h.index)} / 100`}, ${h.level}: ${h.verdict}${h.note ? ` (${h.note}, ${h.assessedAt})` : ''}.`);
    for (const sub of h.subScores) out.push(`- ${sub.name}: ${sub.score === null ? 'n/a' : Math.round(sub.score)}, ${sub.reason}`);
    if (h.anomaly.abnormal) out.push(`- anomaly detector: abnormal (score ${h.anomaly.score} above ${h.anomaly.threshold})`);
    out.push('', s.activeAlarms.length ? '**Active alarms**' : '**Active alarms**: none.');
    for (const a of s.activeAlarms) out.push(`- ${a.condition} (${a.severity}, since ${a.raisedAt?.slice(11, 19)} UTC): ${a.message}${a.rules.length ? `. Rule: ${a.rules.join('; ')}` : ''}`);

    for (const t of TOPICS.filter((x) => x.words.test(question))) {
      // A fact that cannot be read is left out of the answer, and its step is listed as failed.
      const hist = await historyFacts(src, motorId, t.metric, 24, 'avg').catch(() => null);
      step('get_history', { metric: t.metric, hours: 24 }, hist !== null);
      if (hist && 'mean' in hist && hist.last) {
        out.push('', `**${READINGS[t.metric].label}, last 24 h**: ${hist.min} to ${hist.max} ${hist.unit}, mean ${hist.mean}, now ${hist.last.value} (trend ${hist.trendPerHour} ${hist.unit}/h).`);
      }
    }
    // As above: no diagnosis paragraph, the step listed as failed.
    const v = await vibrationFacts(src, motorId).catch(() => null);
    step('analyze_vibration', {}, v !== null);
    if (v && 'diagnosis' in v && v.diagnosis) {
      out.push('', `**Vibration diagnosis** (${v.at?.slice(11, 19)} UTC): ${v.diagnosis.fault.replace('_', ' ')}, confidence ${Math.round((v.diagnosis.confidence ?? 0) * 100)} %. ${v.diagnosis.evidence}${v.isoZone ? ` ISO 20816 zone ${v.isoZone}, ${v.velocityRmsMmS} mm/s RMS.` : ''}`);
    }
  } else {
    out.push(`No motor called "${motorId}" is known${src.twins.size ? `; known motors: ${src.twins.all().map((t) => t.id).join(', ')}` : ''}.`);
  }

  const query = manualQuery(question, src.twins.all().map((t) => t.id));
  const book = new CitationBook();
  const hits = query ? await manuals.search(query, { limit: 3 }) : [];
  step('search_manuals', { query });
  const cites = hits.map((h) => book.add(h));
  out.push('');
  if (cites.length) {
    out.push('**Manual passages that match the question**');
    for (const c of cites) out.push(`- [${c.n}] ${c.title}, page ${c.page}${c.section ? `, ${c.section}` : ''}: “${excerpt(c.text)}”`);
  } else out.push(`Not found in the manuals: no passage in the imported manuals matches “${query || question}”.`);
  out.push('', 'Set up a model (OpenAI, or a local server such as Ollama) under Manuals & model for explanations and recommendations.');
  return { content: out.join('\n'), steps, citations: cites };
}

function excerpt(text: string, max = 320): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max).replace(/\s\S*$/, '')} …`;
}
