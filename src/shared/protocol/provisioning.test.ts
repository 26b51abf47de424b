import { describe, expect, it } from 'vitest';
import { maskSecrets, provisioningSchema } from './provisioning';

describe('provisioning', () => {
  it('never lets a secret through to what is shown', () => {
    const line = JSON.stringify({ type: 'command', action: 'CONFIG', wifi_ssid: 'plant', wifi_password: 'hunter22 "quoted"', mqtt_password: 's3cret' });
    const shown = maskSecrets(line);
    expect(shown).not.toMatch(/hunter22|s3cret/);
    expect(shown).toMatch(/"wifi_password":"<set>"/);
    expect(shown).toMatch(/"wifi_ssid":"plant"/);
  });

  it('checks settings the way the firmware does, and refuses credentials inside the broker URL', () => {
    expect(provisioningSchema.safeParse({ wifi_ssid: 'plant', wifi_password: 'longenough' }).success).toBe(true);
    expect(provisioningSchema.safeParse({ wifi_password: 'short' }).error?.issues[0].message).toMatch(/8 to 63/);
    expect(provisioningSchema.safeParse({ mqtt_url: 'mqtt://user:pw@10.0.0.5:1883' }).error?.issues[0].message).toMatch(/without a user or password/);
    expect(provisioningSchema.safeParse({}).success).toBe(false);
    expect(provisioningSchema.safeParse({ rated_rpm: 1480 }).success).toBe(false);
  });
});
