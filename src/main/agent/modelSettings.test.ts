import { describe, expect, it } from 'vitest';
import { explainModelError, sessionKeeper, settingsFromEnv, DEFAULT_SETTINGS } from './modelSettings';

describe('model settings', () => {
  it('reads the environment and keeps a flag key above it', () => {
    expect(settingsFromEnv({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', MOTORTWIN_LLM_MODEL: 'llama3.1' })).toEqual({ baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.1' });
    expect(sessionKeeper('sk-flag', { OPENAI_API_KEY: 'sk-env' })).toMatchObject({ source: 'flag' });
    expect(sessionKeeper(undefined, { OPENAI_API_KEY: 'sk-env' }).get()).toBe('sk-env');
  });

  it('explains failures in words, without the key', () => {
    const s = { ...DEFAULT_SETTINGS, baseUrl: 'http://127.0.0.1:9/v1' };
    expect(explainModelError(Object.assign(new Error('401 bad key sk-secret'), { status: 401 }), s, 'sk-secret')).toMatch(/refused the API key/);
    expect(explainModelError(new Error('Connection error.'), s, null)).toMatch(/cannot reach the model server at http:\/\/127\.0\.0\.1:9\/v1/);
    expect(explainModelError(new Error('boom sk-secret'), s, 'sk-secret')).not.toContain('sk-secret');
  });
});
