import { useEffect } from 'react';
import type { PlantLinkStatus } from '../../../shared/plantContract';
import type { EngineClient } from '../../../shared/rpc/client';
import { useEngineClient } from '../../engine/EngineProvider';
import { Store, useStore } from '../../engine/store';

// Which engine the app shows (this laptop's or a plant server's), as the laptop's own engine says: read by
// the status bar and the plant server page. A session the plant server ends shows here within seconds.

const linkStore = new Store<PlantLinkStatus | null>(null);
const POLL_MS = 5000;

export async function refreshPlantLink(client: EngineClient | null): Promise<PlantLinkStatus | null> {
  if (!client) return null;
  const status = await client.call('plant.status', {});
  linkStore.set(status);
  return status;
}

/** Sets the link's status from an answer that carries it (login, logout, open). */
export const putPlantLink = (status: PlantLinkStatus) => linkStore.set(status);

export function usePlantLink(): PlantLinkStatus | null {
  const client = useEngineClient();
  useEffect(() => {
    if (!client) return;
    // An engine without the link (an older one) leaves the indicator out.
    const poll = () => void refreshPlantLink(client).catch(() => linkStore.set(null));
    poll();
    const timer = setInterval(poll, POLL_MS);
    return () => clearInterval(timer);
  }, [client]);
  return useStore(linkStore);
}

/** Switches the engine the app shows; the page then loads again, so every view starts from that engine. */
export async function openEngine(client: EngineClient, open: 'laptop' | 'plant'): Promise<void> {
  putPlantLink(await client.call('plant.open', { open }));
  window.location.reload();
}

/** "plant.example:8443" from "https://plant.example:8443". */
export const serverName = (url: string | null) => (url ? url.replace(/^https:\/\//, '') : '');
