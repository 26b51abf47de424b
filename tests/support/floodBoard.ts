import { createWriteStream } from 'node:fs';
import { connect } from 'node:net';
import type { Writable } from 'node:stream';

// A misbehaving board in its own process: publishes QoS 0 telemetry for one device to an MQTT broker,
// or writes NDJSON lines to a serial port (a pty), as fast as it is told (default 50,000 messages/s),
// paced in 10 ms slices. MQTT packets are encoded by hand so the flooder itself costs next to nothing
// and the rate is the engine's to refuse.
// Usage: floodBoard.ts mqtt://HOST:PORT|SERIAL_PATH DEVICE_ID RATE_PER_S MAX_SECONDS
// Prints "ready" once connected, floods from the first line on stdin until the second one (or MAX_SECONDS),
// then prints "done SENT OFFERED".

const [target, deviceId, rateArg, secondsArg] = process.argv.slice(2);
const rate = Number(rateArg ?? 50_000);
const seconds = Number(secondsArg ?? 5);

function remainingLength(n: number): Buffer {
  const bytes: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    bytes.push(b);
  } while (n > 0);
  return Buffer.from(bytes);
}

const str = (s: string) => {
  const b = Buffer.from(s);
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
};

function connectPacket(clientId: string): Buffer {
  const body = Buffer.concat([str('MQTT'), Buffer.from([4, 0x02, 0, 60]), str(clientId)]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body]);
}

const reading = (seq: number) => `{"device_id":"${deviceId}","seq":${seq},"temperature":61.5,"vibration":0.031,"rpm":1480}`;
const topic = str(`factory/${deviceId}/telemetry`);
function publishPacket(seq: number): Buffer {
  const payload = Buffer.from(reading(seq));
  const len = topic.length + payload.length;
  return Buffer.concat([Buffer.from([0x30]), remainingLength(len), topic, payload]);
}
const serialLine = (seq: number) => Buffer.from(`{"type":"telemetry",${reading(seq).slice(1)}\n`);

async function openMqtt(url: URL): Promise<Writable> {
  const socket = connect(Number(url.port), url.hostname);
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => socket.write(connectPacket(`flood-${deviceId}-${process.pid}`)));
    socket.once('data', (d) => (d[0] === 0x20 && d[3] === 0 ? resolve() : reject(new Error(`CONNACK refused: ${d.toString('hex')}`))));
  });
  socket.on('data', () => undefined);
  return socket;
}

const mqttTarget = target.startsWith('mqtt://');
async function openSerial(path: string): Promise<Writable> {
  const stream = createWriteStream(path, { flags: 'w' });
  await new Promise((resolve, reject) => stream.once('open', resolve).once('error', reject));
  return stream;
}

const socket = mqttTarget ? await openMqtt(new URL(target)) : await openSerial(target);
const encode = mqttTarget ? publishPacket : serialLine;
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
let stopped = false;
process.stdin.once('data', () => (stopped = true));

let seq = 0;
let offered = 0;
let blocked = false;
const started = Date.now();
await new Promise<void>((resolve) => {
  const slice = () => {
    const elapsed = Date.now() - started;
    if (stopped || elapsed >= seconds * 1000) return resolve();
    const due = Math.floor((elapsed / 1000) * rate) + Math.floor(rate / 100);
    const batch: Buffer[] = [];
    // A board that floods does not wait for anyone: what the socket will not take now is offered and lost.
    while (offered < due) {
      offered++;
      if (!blocked) batch.push(encode(seq++));
    }
    if (batch.length && !socket.write(Buffer.concat(batch))) {
      blocked = true;
      socket.once('drain', () => (blocked = false));
    }
    setTimeout(slice, 10);
  };
  slice();
});
process.stdout.write(`done ${seq} ${offered}\n`);
process.stdin.destroy();
socket.end();
