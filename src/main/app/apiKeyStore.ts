import { app, safeStorage } from 'electron';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The model's API key in the desktop app: encrypted with the OS keychain (Electron safeStorage) in the user's
// data folder, decrypted here and handed to the engine process at start. It never reaches the renderer.

const file = () => join(app.getPath('userData'), 'llm-api-key.bin');

export interface StoredKey {
  key: string | null;
  source: 'os-encrypted' | 'plain-text' | 'session';
  warning: string | null;
}

/** Where the key can be kept: the OS keychain, a keychain Electron calls "basic_text" (plain), or nowhere. */
function storage(): StoredKey['source'] {
  if (!safeStorage.isEncryptionAvailable()) return 'session';
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  return backend === 'basic_text' ? 'plain-text' : 'os-encrypted';
}

const WARNINGS: Record<StoredKey['source'], string | null> = {
  'os-encrypted': null,
  'plain-text': 'This system offers no keychain (no GNOME Keyring or KWallet): the API key is stored obfuscated but readable by anyone with access to your files.',
  session: 'This system offers no way to encrypt the API key: it is kept only until MotorTwin closes.',
};

export function loadApiKey(): StoredKey {
  const source = storage();
  let key: string | null = null;
  if (source !== 'session' && existsSync(file())) {
    try {
      key = safeStorage.decryptString(readFileSync(file()));
    } catch {
      // Encrypted under another login or keychain: no usable key, so the settings ask for it again.
      key = null;
    }
  }
  return { key, source, warning: WARNINGS[source] };
}

export function saveApiKey(key: string | null): void {
  if (key === null) {
    rmSync(file(), { force: true });
    return;
  }
  if (storage() !== 'session') writeFileSync(file(), safeStorage.encryptString(key), { mode: 0o600 });
}
