import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../engine';
import { packageRoot } from '../cli/paths';
import { ManualLibrary } from '../manuals/library';
import { AgentService } from './agentService';
import type { CommandProposer } from './commandProposer';
import { ConversationStore } from './conversationStore';
import { sessionKeeper, settingsFromEnv, type ModelSettings, type SecretKeeper } from './modelSettings';
import { SettingsStore } from './settingsStore';

// Builds the manuals library and the agent for the engine and wires their events into the engine's.

export interface AgentConfig {
  /** Where OPENAI_API_KEY, OPENAI_BASE_URL, MOTORTWIN_LLM_MODEL are read from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Command-line flags: they win over everything saved. */
  flags?: Partial<ModelSettings> & { apiKey?: string };
  /** The desktop app's keychain-backed key store; headless runs keep a key set from the UI for the session. */
  secrets?: SecretKeeper;
  /** The starter manuals to import on first run; null for none (default: resources/manuals). */
  starterManualsDir?: string | null;
}

export function createAgentParts(engine: Engine, config: AgentConfig = {}, log: (what: string, e: Error) => void): { manuals: ManualLibrary; agent: AgentService } {
  const env = config.env ?? process.env;
  const { apiKey, ...flags } = config.flags ?? {};
  const settings = new SettingsStore(engine.db);
  // The agent is created right after; the library asks it for the embeddings endpoint only when it searches.
  const parts = {} as { manuals: ManualLibrary; agent: AgentService };
  parts.manuals = new ManualLibrary(engine.db, settings, () => parts.agent.embedder(), log);
  parts.agent = new AgentService({
    source: engine,
    manuals: parts.manuals,
    settings,
    conversations: new ConversationStore(engine.db),
    secrets: config.secrets ?? sessionKeeper(apiKey, env),
    // The command service arrives with the engine's start; proposals go through it whenever it exists.
    proposer: () => (engine as unknown as { commands?: CommandProposer }).commands ?? null,
    envSettings: settingsFromEnv(env),
    flagSettings: flags,
    log,
  });
  parts.agent.on('chat', (e) => engine.emit('chat', e));
  parts.manuals.on('progress', (p) => engine.emit('manualImport', p));
  return parts;
}

export async function startAgentParts(parts: { manuals: ManualLibrary; agent: AgentService }, config: AgentConfig = {}): Promise<void> {
  await parts.agent.load();
  await parts.manuals.load();
  const starter = config.starterManualsDir === undefined ? starterManualsDir() : config.starterManualsDir;
  if (starter) await parts.manuals.ensureStarter(starter);
}

/** resources/manuals beside the packaged app (Electron's resourcesPath) or in the checkout. */
function starterManualsDir(): string | null {
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [resourcesPath ? join(resourcesPath, 'resources', 'manuals') : null, join(packageRoot(), 'resources', 'manuals')];
  return candidates.find((c): c is string => c !== null && existsSync(c)) ?? null;
}
