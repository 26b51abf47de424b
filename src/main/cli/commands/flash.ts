import { readFile } from 'node:fs/promises';
import { flashImage } from '../../flash/flasher';
import { UsageError, type CliCommand } from '../command';
import { parse } from '../options';

export const flashCommand: CliCommand = {
  name: 'flash',
  usage: `motortwin flash --port PATH --image FILE [options]
  --port PATH       serial port of the board (e.g. /dev/ttyUSB0, COM3)
  --image FILE      firmware image (.bin from the build, or a merged image with --offset 0x0)
  --offset N        flash address (default 0x10000, the application partition)
  --baud N          transfer speed after syncing at 115200 (default 460800)`,
  async run(args, io) {
    const { values: v } = parse(args, {
      port: { type: 'string' },
      image: { type: 'string' },
      offset: { type: 'string', default: '0x10000' },
      baud: { type: 'string', default: '460800' },
    });
    if (!v.port) throw new UsageError('--port is required');
    if (!v.image) throw new UsageError('--image is required');
    const offset = Number(v.offset);
    if (!Number.isInteger(offset) || offset < 0 || offset > 0x1000000) throw new UsageError(`--offset must be an address such as 0x10000, got "${v.offset}"`);
    const baud = Number(v.baud);
    if (!Number.isInteger(baud) || baud < 9600 || baud > 2_000_000) throw new UsageError(`--baud must be from 9600 to 2000000, got "${v.baud}"`);
    const image = await readFile(v.image).catch((e: Error) => {
      throw new Error(`cannot read ${v.image}: ${e.message}`);
    });
    let lastPercent = -10;
    const result = await flashImage({
      path: v.port,
      image: new Uint8Array(image),
      offset,
      baud,
      onProgress: (p) => {
        const percent = Math.floor((p.written / Math.max(1, p.total)) * 100);
        if (p.phase !== 'writing' || percent >= lastPercent + 10) {
          lastPercent = p.phase === 'writing' ? percent : lastPercent;
          io.out(`${p.phase.padEnd(10)} ${String(percent).padStart(3)} %  ${p.message}`);
        }
      },
    });
    io.out(`flashed ${result.bytes} bytes to ${result.chip} at 0x${offset.toString(16)} in ${result.seconds.toFixed(1)} s; MD5 ${result.md5} verified`);
    if (result.resetUnsupported) io.out('this port cannot drive DTR/RTS: press EN (RST) on the board to start the new firmware');
    return 0;
  },
};
