import { createContext, useContext, useState, type ReactNode } from 'react';
import type { PlantLinkStatus } from '../../../shared/plantContract';
import { Store, useStore } from '../../engine/store';
import { useStoreFeed, type EngineCall } from '../../engine/useEngineQuery';

// Which engine the app shows (this laptop's or a plant server's), as the laptop's own engine says: read by
// the status bar and the plant server page. The engine sends no event when a plant server ends the session,
// so the status is loaded again every few seconds; an engine without the link (an older one) leaves it null.

const POLL_MS = 5000;

const PlantLinkContext = createContext<Store<PlantLinkStatus | null> | null>(null);

export function PlantLinkProvider({ children }: { children: ReactNode }) {
  const [link] = useState(() => new Store<PlantLinkStatus | null>(null));
  useStoreFeed(link, { load: (c) => c.call('plant.status', {}), refreshMs: POLL_MS });
  return <PlantLinkContext.Provider value={link}>{children}</PlantLinkContext.Provider>;
}

function useLinkStore(): Store<PlantLinkStatus | null> {
  const s = useContext(PlantLinkContext);
  if (!s) throw new Error('usePlantLink outside PlantLinkProvider');
  return s;
}

export const usePlantLink = (): PlantLinkStatus | null => useStore(useLinkStore());

/**
 * Calls a method that answers with the link's status (login, logout, open) and shows that answer at once;
 * `plant.status` reloads it after a failure.
 */
export function usePlantLinkActions(call: EngineCall) {
  const link = useLinkStore();
  return {
    logIn: async (p: { url: string; username: string; password: string; caPem?: string }) => link.set(await call('plant.login', p)),
    logOut: async () => link.set(await call('plant.logout', {})),
    refresh: async () => link.set(await call('plant.status', {})),
    /** Switches the engine the app shows; the page then loads again, so every view starts from that engine. */
    open: async (open: 'laptop' | 'plant') => {
      link.set(await call('plant.open', { open }));
      window.location.reload();
    },
  };
}

/** "plant.example:8443" from "https://plant.example:8443". */
export const serverName = (url: string | null) => (url ? url.replace(/^https:\/\//, '') : '');
