import mqtt from 'mqtt';

// A load generator in its own process, as a fleet of boards would be: publishes N telemetry messages
// with QoS 1 over `devices` device topics as fast as the broker acknowledges them (bounded in flight).
// Usage: publisher.ts URL COUNT DEVICES [RATE_PER_S] [CONNECTIONS]   (RATE 0 = as fast as possible)
// CONNECTIONS (default 1) spreads the devices over that many MQTT connections, one per board when it
// equals DEVICES: a broker then reads each message on its own, as it does from a real fleet.

const [url, countArg, devicesArg, rateArg, connectionsArg] = process.argv.slice(2);
const count = Number(countArg);
const devices = Number(devicesArg);
const rate = Number(rateArg ?? 0);
const connections = Number(connectionsArg ?? 1);
const INFLIGHT = 500;

const clients = await Promise.all(
  Array.from({ length: connections }, (_, i) => mqtt.connectAsync(url, { clientId: `bench-pub-${process.pid}-${i}`, reconnectPeriod: 0 })),
);
process.stdout.write('ready\n');
// The parent says go once every subscriber is ready; stdin is then released so it cannot keep us alive.
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
process.stdin.destroy();
const started = Date.now();
let sent = 0;
let acked = 0;
const seqs = new Array<number>(devices).fill(0);
await new Promise<void>((resolve) => {
  const pump = () => {
    while (sent < count && sent - acked < INFLIGHT) {
      if (rate > 0 && sent >= ((Date.now() - started) / 1000) * rate) {
        setTimeout(pump, 5);
        return;
      }
      const d = sent % devices;
      const id = `bench_${d}`;
      const payload = `{"device_id":"${id}","seq":${seqs[d]++},"temperature":${(50 + (sent % 100) / 10).toFixed(1)},"vibration":0.031,"rpm":1480,"timestamp":"${new Date().toISOString()}"}`;
      sent++;
      clients[d % connections].publish(`factory/${id}/telemetry`, payload, { qos: 1 }, () => {
        acked++;
        if (acked === count) resolve();
        else pump();
      });
    }
  };
  pump();
});
process.stdout.write(`done ${Date.now() - started}\n`);
await Promise.all(clients.map((c) => c.endAsync()));
