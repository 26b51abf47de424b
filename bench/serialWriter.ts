// A board at full tilt, in its own process so its CPU is not the engine's:
// node bin/run-ts.js bench/serialWriter.ts PATH LINES_PER_S SECONDS json|text DEVICE_ID
// Prints "ready", writes on "go" from stdin, then prints "done LINES MS".
import { openSync, writeSync } from 'node:fs';

const [path, rateArg, secondsArg, mode, id] = process.argv.slice(2);
const rate = Number(rateArg);
const total = Math.round(rate * Number(secondsArg));
const fd = openSync(path, 'w');
const line = (seq: number) =>
  mode === 'json'
    ? `{"type":"telemetry","device_id":"${id}","seq":${seq},"temperature":${(60 + (seq % 100) / 10).toFixed(1)},"vibration":0.031,"rpm":1480,"current":11.2}\n`
    : `I (${seq}) sensor: adc=${(seq * 7919) % 4096} raw=${seq % 997} debug print from the firmware\n`;

process.stdout.write('ready\n');
process.stdin.once('data', () => {
  const start = performance.now();
  let sent = 0;
  const timer = setInterval(() => {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
    let chunk = '';
    while (sent < due) chunk += line(sent++);
    if (chunk) writeSync(fd, chunk);
    if (sent >= total) {
      clearInterval(timer);
      // How long the writing took here: on a loaded machine this process runs late too, and offers less than asked.
      process.stdout.write(`done ${sent} ${Math.round(performance.now() - start)}\n`);
      process.exit(0);
    }
  }, 5);
});
