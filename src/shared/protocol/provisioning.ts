import { z } from 'zod';
import { deviceIdSchema } from './schemas';

// Provisioning a board over USB (firmware/README.md, "Provisioning"): the CONFIG command sets its device
// id, Wi-Fi and broker. It goes over serial only (the firmware refuses it over MQTT) and its secrets are
// never shown: not in the console, not in logs, not in the audit trail.

export const SECRET_KEYS = ['wifi_password', 'mqtt_password'] as const;

export const provisioningSchema = z
  .object({
    device_id: deviceIdSchema.optional(),
    wifi_ssid: z.string().max(32, 'a Wi-Fi SSID has at most 32 bytes').optional(),
    wifi_password: z.string().min(8, 'a WPA2 password has 8 to 63 characters').max(63, 'a WPA2 password has 8 to 63 characters').optional(),
    mqtt_url: z
      .string()
      .regex(/^mqtts?:\/\/[^\s/@]+(:\d{1,5})?\/?$/, 'the broker is mqtt://host:port or mqtts://host:port, without a user or password in it')
      .optional(),
    mqtt_user: z.string().max(64).optional(),
    mqtt_password: z.string().max(64).optional(),
  })
  .strict()
  .refine((s) => Object.values(s).some((v) => v !== undefined), 'set at least one setting');
export type Provisioning = z.infer<typeof provisioningSchema>;

/** The line as it may be shown: secrets replaced by <set>. */
export function maskSecrets(line: string): string {
  return line.replace(new RegExp(`("(?:${SECRET_KEYS.join('|')})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'g'), '$1"<set>"');
}
