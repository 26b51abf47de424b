import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { topicFor } from '../../shared/protocol/topics';

// Alerts: new alarms and command outcomes, forwarded to systems outside MotorTwin when configured: an
// MQTT topic per motor (factory/<id>/alerts) and an HTTP webhook with retries. The UI and the desktop
// notifications get them as events.

export const alertConfigSchema = z.object({
  mqtt: z.boolean().default(true),
  webhookUrl: z.url({ protocol: /^https?$/, error: 'the alert webhook must be an http:// or https:// URL' }).nullable().default(null),
});
export type AlertConfig = z.infer<typeof alertConfigSchema>;

export interface Alert {
  ts: number;
  deviceId: string;
  kind: 'alarm' | 'command';
  severity: 'critical' | 'major' | 'minor' | 'warning' | 'info';
  title: string;
  body: string;
}

export interface AlertOutlets {
  publish(topic: string, payload: string): Promise<void>;
  /** Where a delivery or a failure to deliver is recorded (the audit trail). */
  record(alert: Alert, outcome: string): void;
}

const RETRY_DELAYS_MS = [1000, 4000, 16000];
const WEBHOOK_TIMEOUT_MS = 5000;

export class AlertForwarder extends EventEmitter<{ alert: [Alert] }> {
  private closed = false;

  constructor(
    private readonly config: AlertConfig,
    private readonly outlets: AlertOutlets,
    private readonly retryDelaysMs: readonly number[] = RETRY_DELAYS_MS,
  ) {
    super();
  }

  send(alert: Alert): void {
    this.emit('alert', alert);
    this.outlets.record(alert, 'raised');
    const body = JSON.stringify({ device_id: alert.deviceId, kind: alert.kind, severity: alert.severity, title: alert.title, body: alert.body, ts: new Date(alert.ts).toISOString() });
    if (this.config.mqtt) {
      // topicFor refuses an invalid device id (an alarm of a twin stored before ids were checked): recorded, not thrown.
      Promise.resolve()
        .then(() => this.outlets.publish(topicFor(alert.deviceId, 'alerts'), body))
        .catch((e: Error) => this.outlets.record(alert, `MQTT alert not published: ${e.message}`));
    }
    if (this.config.webhookUrl) void this.post(this.config.webhookUrl, alert, body);
  }

  close(): void {
    this.closed = true;
  }

  private async post(url: string, alert: Alert, body: string): Promise<void> {
    let last = '';
    for (let attempt = 0; attempt <= this.retryDelaysMs.length && !this.closed; attempt++) {
      if (attempt) await new Promise((r) => setTimeout(r, this.retryDelaysMs[attempt - 1]));
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
        if (res.ok) {
          this.outlets.record(alert, `webhook delivered${attempt ? ` after ${attempt} retr${attempt === 1 ? 'y' : 'ies'}` : ''}`);
          return;
        }
        last = `HTTP ${res.status}`;
      } catch (e) {
        last = (e as Error).message;
      }
    }
    if (!this.closed) this.outlets.record(alert, `webhook failed after ${this.retryDelaysMs.length + 1} attempts: ${last}`);
  }
}
