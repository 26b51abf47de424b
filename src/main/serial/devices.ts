import type { EventOf } from '../../shared/contract';
import type { IngestPipeline } from '../ingest/pipeline';
import type { MotorDatabase } from '../store/database';
import type { TwinRegistry } from '../twin/twinRegistry';
import { CalibrationService } from '../calibration/calibrationService';
import { CertificateStore } from '../calibration/certificateStore';
import { FlashService, type LoadFlasher } from '../flash/flashService';
import { SerialManager, type SerialManagerOptions } from './serialManager';
import { silentLog, type Log } from '../platform/log';

export interface DevicesEvents {
  serialPorts: (e: EventOf<'serialPorts'>) => void;
  serialConsole: (e: EventOf<'serialConsole'>) => void;
  flashProgress: (e: EventOf<'flashProgress'>) => void;
}

/** Boards on the bench, as one part of the engine: serial ports and consoles, flashing, calibration. */
export class Devices {
  readonly serial: SerialManager;
  readonly flash: FlashService;
  readonly calibration: CalibrationService;
  private readonly log: Log;

  constructor(parts: { pipeline: IngestPipeline; twins: TwinRegistry; db: MotorDatabase; dataDir: string; flasher: LoadFlasher }, emit: DevicesEvents, options: SerialManagerOptions = {}) {
    this.log = options.log ?? silentLog;
    this.serial = new SerialManager(parts.pipeline, parts.twins, options);
    this.flash = new FlashService(this.serial, parts.flasher);
    this.calibration = new CalibrationService(parts.pipeline, parts.twins, this.serial, new CertificateStore(parts.db), parts.dataDir);
    this.serial.on('ports', emit.serialPorts);
    this.serial.on('console', emit.serialConsole);
    this.flash.on('progress', emit.flashProgress);
  }

  /** Starts polling for ports and opens the ones asked for at start (`serve --serial PATH@BAUD`). */
  async start(open: Array<{ path: string; baud: number }> = []): Promise<void> {
    this.serial.start();
    for (const p of open) {
      // A board that is not plugged in yet is opened when it appears; other failures are shown on the port.
      await this.serial.open(p.path, p.baud).catch((e: Error) => this.log.warn({ path: p.path, err: e }, `cannot open ${p.path} at start`));
    }
  }

  async close(): Promise<void> {
    this.flash.cancelAll();
    await this.serial.closeAll();
  }
}
