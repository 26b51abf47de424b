import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { MotorDatabase } from '../../src/main/store/database';
import { SettingsStore } from '../../src/main/agent/settingsStore';
import { ManualLibrary, type ManualHit } from '../../src/main/manuals/library';
import { ROOT } from './cli';

// The manual question set: ../shared/data/manual-qa.json plus our own pairs in tests/fixtures, both over the
// public-domain manuals in ../shared/data/manuals (read from there, never copied). Shared by the retrieval
// tests and the recall bench so both measure the same thing the same way.

export const SHARED_DATA = resolve(ROOT, '../shared/data');
export const MANUALS_DIR = join(SHARED_DATA, 'manuals');
const EXTRA = join(ROOT, 'tests', 'fixtures', 'manual-qa-extra.json');

export interface QaPair {
  id: string;
  question: string;
  answer: string;
  supporting_passage: string;
  /** Relative to ../shared ("data/manuals/NAME.txt"). */
  file: string;
}

const read = (path: string) => (JSON.parse(readFileSync(path, 'utf8')) as { pairs: QaPair[] }).pairs;

export const sharedPairs = (): QaPair[] => read(join(SHARED_DATA, 'manual-qa.json'));
export const extraPairs = (): QaPair[] => read(EXTRA);
export const allPairs = (): QaPair[] => [...sharedPairs(), ...extraPairs()];

export const manualPath = (p: QaPair) => join(MANUALS_DIR, basename(p.file));

/**
 * More questions outside every manual, written to try changes to the "not found" cut-off (never tuned on): prices,
 * vendors, history, software, and questions that pair manual words ("magnet", "pole", "rotor", "bearing") with an
 * everyday word that carries the whole question ("pacemakers", "cost", "heavy"). A cut-off that lets a question
 * in ordinary English through ("magnetic debris clinging to the poles") lets these through with it: weighting the
 * missing words by their frequency in general English (SUBTLEXus counts) gained 2 of the 77 pairs and answered
 * 8 of the first 20 of these instead of 2.
 */
export const PROBES: string[] = [
  'How much does a new bearing cost?',
  'Who makes the best motors?',
  'What colour should the motor be painted?',
  'How heavy is the rotor?',
  'Can I run the motor from a solar panel?',
  'What warranty comes with a rewound motor?',
  'How long does shipping a motor take?',
  'Is the motor safe for children?',
  'What is the price of a megger?',
  'Which company sells sleeve bearings?',
  'Where can I buy replacement brushes?',
  'How loud is a motor allowed to be at night?',
  'What insurance covers a burnt winding?',
  'Who invented the slip ring?',
  'Can the contactor coil be bought online?',
  'How do I paint the commutator?',
  'What song does a worn bearing sing?',
  'How many people are needed to lift the rotor?',
  'Is the magnet pole dangerous for pacemakers?',
  'What is the phone number of the rewind shop?',
  'How do I log in to the cloud dashboard?',
  'Which smartphone app shows the motor temperature?',
  'What training do electricians need for a licence?',
  'How do I recycle an old motor?',
  'What tax applies to imported generators?',
  'When was the first induction motor built?',
  'How do I reset my password?',
  'Which bearing brand lasts the longest?',
  'Can a drone inspect the motor from the air?',
  'How fast can the rotor spin before it explodes?',
];

/**
 * Thirty more questions outside the manuals, the near misses of a working day (torques, brands, spare parts,
 * drive settings, values the manuals do not give), written before the stop list, proximity and synonyms of
 * issue 13 item 6 were tried and never tuned on: they check that recall gained there is not bought by answering
 * what the manuals do not say.
 */
export const PROBES_FRESH: string[] = [
  'What torque do the coupling bolts need?',
  'Which grease brand is compatible with polyurea grease?',
  'What is the lead time for a new stator?',
  'How do I wire a star-delta starter?',
  'How do I set the trip class of the overload relay?',
  'What is the service factor of the motor?',
  'Can the motor run underwater?',
  'How do I balance a fan impeller on site?',
  'What oil viscosity grade do the sleeve bearings need?',
  'What resistance should a healthy thermistor read?',
  'How often should the motor frame be repainted?',
  'Who pays for repairs under the service contract?',
  'How do I program the variable frequency drive?',
  'How much copper is in a rewound stator?',
  'Which laser alignment tool is most accurate?',
  'How do I file an insurance claim after a motor fire?',
  'What torque should the terminal screws be tightened to?',
  'Can I spray WD-40 on the commutator?',
  'What does the code letter on the nameplate mean?',
  'What gloves should be worn when cleaning windings?',
  'How long does the rewind shop take to rewind a motor?',
  'What is the power factor of a fully loaded induction motor?',
  'What colour is the earth wire in Europe?',
  'How do I replace the clips on the fan cover?',
  'What is the efficiency of the motor at half load?',
  'How do I order spare brushes from the manufacturer?',
  'What is the noise limit in decibels for motors in an office?',
  'Which PLC should control the contactor?',
  'What is the moment of inertia of the rotor?',
  'How do I connect the motor to Wi-Fi?',
];

/** The fresh probes that got an answer before that work, from a passage sharing most of their words. */
export const PROBES_FRESH_ANSWERED = [
  'What torque do the coupling bolts need?',
  'What oil viscosity grade do the sleeve bearings need?',
  'Who pays for repairs under the service contract?',
  'How much copper is in a rewound stator?',
  'What gloves should be worn when cleaning windings?',
  'How do I order spare brushes from the manufacturer?',
];

/** The probes that get an answer today (a passage sharing most of their words): fewer is better, more fails. */
export const PROBES_ANSWERED = ['Who makes the best motors?', 'Who invented the slip ring?', 'When was the first induction motor built?'];

/**
 * Half of the pairs, fixed by a hash of the id (so a new pair never moves an old one), is held out: retrieval
 * is tuned on the other half only, and the held-out figure says whether the tuning generalises.
 */
export const isHeldOut = (p: QaPair) => createHash('sha256').update(p.id).digest()[0] % 2 === 1;

const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

/** A hit supports the pair when it comes from the pair's manual and holds the whole supporting passage. */
export const supports = (h: Pick<ManualHit, 'source' | 'text'>, p: QaPair) => h.source === basename(p.file) && flat(h.text).includes(flat(p.supporting_passage));

/** A library as on a first run (the starter guide) plus every manual of the shared data, lexical search only. */
export async function qaLibrary(dir: string): Promise<{ db: MotorDatabase; lib: ManualLibrary }> {
  const db = await MotorDatabase.open(join(dir, 'qa.duckdb'));
  const lib = new ManualLibrary(db, new SettingsStore(db));
  await lib.load();
  await lib.ensureStarter(join(ROOT, 'resources', 'manuals'));
  const results = await lib.importPaths(readdirSync(MANUALS_DIR).map((f) => join(MANUALS_DIR, f)));
  const failed = results.filter((r) => r.status !== 'done');
  if (failed.length) throw new Error(`manuals not imported: ${failed.map((r) => `${r.name}: ${r.message}`).join('; ')}`);
  return { db, lib };
}

export interface Recall {
  n: number;
  recall: number;
  /** The pairs whose passage was not in the top k, with what came instead. */
  misses: Array<{ id: string; got: string[] }>;
}

export async function recallAt(lib: ManualLibrary, pairs: QaPair[], k: number): Promise<Recall> {
  const misses: Recall['misses'] = [];
  for (const p of pairs) {
    const hits = await lib.search(p.question, { limit: k });
    if (!hits.some((h) => supports(h, p))) misses.push({ id: p.id, got: hits.map((h) => `${h.source} p${h.page} "${flat(h.text).slice(0, 40)}…"`) });
  }
  return { n: pairs.length, recall: pairs.length ? 1 - misses.length / pairs.length : 0, misses };
}
