import { describe, expect, it, vi } from 'vitest';
import { AlertForwarder, alertConfigSchema, type Alert } from './alerts';

describe('AlertForwarder over MQTT', () => {
  const alert = (deviceId: string): Alert => ({ ts: 0, deviceId, kind: 'alarm', severity: 'critical', title: 't', body: 'b' });

  it("publishes to the motor's alerts topic, and to no topic built from an invalid id", async () => {
    const publish = vi.fn(async (_topic: string, _payload: string) => undefined);
    const record = vi.fn();
    const forwarder = new AlertForwarder(alertConfigSchema.parse({}), { publish, record });
    forwarder.send(alert('motor_01'));
    forwarder.send(alert('<img src=x onerror=alert(1)>'));
    await vi.waitFor(() => expect(record).toHaveBeenCalledWith(expect.anything(), expect.stringMatching(/^MQTT alert not published: no topic for device id "<img/)));
    expect(publish.mock.calls.map(([topic]) => topic)).toEqual(['factory/motor_01/alerts']);
  });
});
