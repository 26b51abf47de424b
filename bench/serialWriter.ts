// A board at full tilt, in its own process so its CPU is not the engine's:
// node bin/run-ts.js bench/serialWriter.ts PATH LINES_PER_S SECONDS json|text DEVICE_ID
// Prints "ready", writes on "go" from stdin, then prints "done LINES MS".
import { openSync, writeSync } from 'node:fs';
import { telemetryLine, textLine } from './serialLines';

const [path, rateArg, secondsArg, mode, id] = process.argv.slice(2);
const rate = Number(rateArg);
const total = Math.round(rate * Number(secondsArg));
const fd = openSync(path, 'w');
const line = (seq: number) => `${mode === 'json' ? telemetryLine(id, seq) : textLine(seq)}\n`;

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
