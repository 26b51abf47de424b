import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../platform/paths';
import type { Emit } from '../platform/eventBus';
import type { MotorDatabase } from '../store/database';
import { ManualLibrary } from '../manuals/library';
import { AgentService } from './agentService';
import type { CommandProposer } from './commandProposer';
import type { LoadModelRuntime } from './modelRuntime';
import { ConversationStore } from './conversationStore';
import type { TwinSource } from './twinFacts';
import { ModelConfig } from './modelConfig';
import { sessionKeeper, settingsFromEnv, type ModelSettings, type SecretKeeper } from './modelSettings';
import { SettingsStore } from './settingsStore';

// Builds the manuals library, the model settings and the agent, and wires their events onto the bus.

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

/** What the agent part is handed by the composition root. */
export interface AgentPorts {
  db: MotorDatabase;
  /** The twin's facts the chat answers from. */
  source: TwinSource;
  /** The command gate: proposals wait there for a person. */
  proposer: CommandProposer | null;
  emit: Emit;
  log: (what: string, e: Error) => void;
  /** Loads LangChain and the model's client on first use (an idle engine never needs them). */
  modelRuntime: LoadModelRuntime;
}

export interface AgentParts {
  manuals: ManualLibrary;
  agent: AgentService;
  model: ModelConfig;
}

export function createAgentParts(ports: AgentPorts, config: AgentConfig = {}): AgentParts {
  const env = config.env ?? process.env;
  const { apiKey, ...flags } = config.flags ?? {};
  const settings = new SettingsStore(ports.db);
  const model = new ModelConfig(settings, config.secrets ?? sessionKeeper(apiKey, env), settingsFromEnv(env), flags, ports.modelRuntime);
  const manuals = new ManualLibrary(ports.db, settings, () => model.embedder(), ports.log);
  const agent = new AgentService({ source: ports.source, manuals, model, conversations: new ConversationStore(ports.db), proposer: ports.proposer, runtime: ports.modelRuntime, log: ports.log });
  agent.on('chat', (e) => ports.emit('chat', e));
  manuals.on('progress', (p) => ports.emit('manualImport', p));
  return { manuals, agent, model };
}

export async function startAgentParts(parts: AgentParts, config: AgentConfig = {}): Promise<void> {
  await parts.model.load();
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
