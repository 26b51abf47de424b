import mqtt, { type MqttClient } from 'mqtt';

/** Counts what reaches a device's command topic, as the device itself would see it. */
export async function watchCommands(url: string, deviceId: string): Promise<{ seen: Array<{ id?: string; action: string }>; client: MqttClient }> {
  const client = await mqtt.connectAsync(url, { clientId: `watch-${Math.random().toString(16).slice(2)}` });
  const seen: Array<{ id?: string; action: string }> = [];
  client.on('message', (_t, p) => seen.push(JSON.parse(p.toString())));
  await client.subscribeAsync(`factory/${deviceId}/commands`, { qos: 1 });
  return { seen, client };
}
