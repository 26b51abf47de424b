import type { SimFault } from '../../shared/contract';
import { SimulatedMotor } from './simulatedMotor';
import { DomainError } from '../platform/domainError';

export interface SimInfo {
  id: string;
  fault: SimFault | null;
  rateHz: number;
  load: number;
}

/** The simulated motors the engine runs itself ("Add simulated motor"), each a real MQTT client. */
export class SimFleet {
  private readonly motors = new Map<string, SimulatedMotor>();

  constructor(
    /** Where (and as whom) the simulated board with this id connects. */
    private readonly broker: (id: string) => { url: string; username?: string; password?: string; ca?: string | Buffer },
    private readonly onConnectionProblem: (id: string, problem: string | null) => void = () => undefined,
  ) {}

  list(): SimInfo[] {
    return [...this.motors.values()].map(info);
  }

  get(id: string): SimulatedMotor | undefined {
    return this.motors.get(id);
  }

  has(id: string): boolean {
    return this.motors.has(id);
  }

  nextId(taken: (id: string) => boolean): string {
    for (let n = 1; ; n++) {
      const id = `motor_${String(n).padStart(2, '0')}`;
      if (!this.motors.has(id) && !taken(id)) return id;
    }
  }

  async add(id: string, fault: SimFault | null = null, rateHz = 2): Promise<SimInfo> {
    if (this.motors.has(id)) throw new DomainError('conflict', `a simulated motor "${id}" is already running`);
    const b = this.broker(id);
    const onConnectionProblem = (problem: string | null) => this.onConnectionProblem(id, problem);
    const motor = new SimulatedMotor({ id, brokerUrl: b.url, username: b.username, password: b.password, ca: b.ca, fault, rateHz, onConnectionProblem });
    this.motors.set(id, motor);
    await motor.start();
    return info(motor);
  }

  setFault(id: string, fault: SimFault | null): SimInfo {
    const m = this.motors.get(id);
    if (!m) throw new DomainError('not_found', `no simulated motor "${id}"`);
    m.setFault(fault);
    return info(m);
  }

  async remove(id: string): Promise<boolean> {
    const m = this.motors.get(id);
    if (!m) return false;
    this.motors.delete(id);
    await m.stop();
    return true;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.motors.keys()].map((id) => this.remove(id)));
  }
}

const info = (m: SimulatedMotor): SimInfo => ({ id: m.id, fault: m.fault, rateHz: m.rate, load: Math.round(m.model.load * 100) / 100 });
