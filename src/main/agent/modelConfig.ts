import type { AgentSettingsPatch, AgentSettingsView } from '../../shared/agentContract';
import { DEFAULT_SETTINGS, isConfigured, type ModelSettings, type SecretKeeper } from './modelSettings';
import type { Embedder } from '../manuals/library';
import type { LoadModelRuntime } from './modelRuntime';
import type { SettingsStore } from './settingsStore';

const SAVED = 'model';

/**
 * The language model's settings (defaults, then the environment, what was saved from the UI, command-line
 * flags) and its key. The chat and the manuals' embeddings both read it, so neither needs the other.
 */
export class ModelConfig {
  private saved: Partial<ModelSettings> = {};

  constructor(
    private readonly store: SettingsStore,
    private readonly secrets: SecretKeeper,
    /** From the environment (lowest), and from command-line flags (highest). */
    private readonly envSettings: Partial<ModelSettings> = {},
    private readonly flagSettings: Partial<ModelSettings> = {},
    /** The embeddings client comes with the model runtime, loaded on the first embedding. */
    private readonly runtime: LoadModelRuntime,
  ) {}

  async load(): Promise<void> {
    this.saved = ((await this.store.get(SAVED)) ?? {}) as Partial<ModelSettings>;
  }

  get settings(): ModelSettings {
    return { ...DEFAULT_SETTINGS, ...this.envSettings, ...this.saved, ...this.flagSettings };
  }

  key(): string | null {
    return this.secrets.get();
  }

  get configured(): boolean {
    return isConfigured(this.settings, this.key());
  }

  /** The embeddings endpoint for the manuals' hybrid search, when configured. */
  embedder(): Embedder | null {
    const s = this.settings;
    const key = this.key();
    if (!s.embeddingModel || !isConfigured(s, key)) return null;
    const settings = { ...s, embeddingModel: s.embeddingModel };
    return { embed: async (texts) => (await this.runtime()).openAIEmbedder(settings, key).embed(texts) };
  }

  view(): AgentSettingsView {
    const s = this.settings;
    return {
      configured: this.configured,
      baseUrl: s.baseUrl,
      model: s.model,
      temperature: s.temperature,
      timeoutS: s.timeoutS,
      embeddingModel: s.embeddingModel,
      apiKeySet: Boolean(this.key()),
      keySource: this.secrets.source,
      keyWarning: this.secrets.warning,
    };
  }

  async configure(patch: AgentSettingsPatch): Promise<AgentSettingsView> {
    const { apiKey, ...rest } = patch;
    this.saved = { ...this.saved, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) };
    await this.store.set(SAVED, this.saved);
    if (apiKey !== undefined) await this.secrets.set(apiKey);
    return this.view();
  }
}
