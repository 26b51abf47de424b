import type { HealthService } from '../health/healthService';
import type { Emit } from '../platform/eventBus';
import type { MotorDatabase } from '../store/database';
import type { RollupRunner } from '../store/historian';
import type { TwinRegistry } from '../twin/twinRegistry';

/** What importing is handed by the composition root. */
export interface ImportPorts {
  dataDir: string;
  db: MotorDatabase;
  twins: TwinRegistry;
  rollups: RollupRunner;
  health: HealthService;
  emit: Emit;
}
