import { basename } from 'node:path';
import type { MethodName } from '../../shared/contract';
import { TOPIC_ROOT } from '../../shared/protocol/topics';
import type { Handlers } from './handler';
import { exportFileName, exportsDir } from '../store/exporter';
import { join } from 'node:path';
import { healthHandlers } from './healthHandlers';
import { twin3dHandlers } from './twin3dHandlers';
import { sparkplugHandlers } from './sparkplugHandlers';
import { serialHandlers } from './serialHandlers';
import { commandHandlers } from './commandHandlers';
import { agentHandlers } from './agentHandlers';
import { benchtestHandlers } from './benchtestHandlers';
import { modbusHandlers } from './modbusHandlers';
import { brokerHandlers } from './brokerHandlers';
import { importHandlers } from './importHandlers';
import { plantHandlers } from './plantHandlers';
import { withoutCredentials } from '../broker/urls';

/** Every method of the contract, each a thin translation onto the engine's parts. */
export const handlers: Handlers<MethodName> = {
  'engine.status': (e) => e.status(),
  'engine.connectInfo': (e) => {
    const b = e.links.primary.config;
    const url = e.brokerForClients().url;
    const u = new URL(url);
    return {
      brokerUrl: withoutCredentials(url),
      brokerHost: u.hostname,
      brokerPort: u.port ? Number(u.port) : null,
      mode: b.mode,
      authRequired: b.mode === 'embedded' ? Boolean(b.username) || Object.keys(b.devices ?? {}).length > 0 : Boolean(b.username),
      telemetryTopic: `${TOPIC_ROOT}/<device_id>/telemetry`,
      examplePayload: '{"device_id": "motor_01", "temperature": 72.4, "vibration": 0.034, "rpm": 1480, "timestamp": "2026-01-15T10:15:00Z"}',
      exampleCommand: '{"action": "REDUCE_LOAD", "value": 20}',
    };
  },
  'twins.list': (e) => e.twins.all().map((t) => e.twins.snapshot(t)),
  'twins.get': (e, p) => e.twins.snapshot(e.twins.require(p.id)),
  'twins.update': (e, p) => e.twins.snapshot(e.twins.update(p)),
  'history.query': async (e, p) => {
    await e.writer.flush();
    await e.rollups.run();
    return e.historian.history(p);
  },
  'history.export': async (e, p) => {
    e.twins.require(p.id);
    await e.drain();
    const file = join(exportsDir(e.config.dataDir), exportFileName(p));
    const r = await e.historian.exportTo(p, file);
    return { ...r, downloadPath: `/api/exports/${encodeURIComponent(basename(file))}` };
  },
  'rejected.list': (e, p) => e.rejects.list(p.limit),
  'sim.list': (e) => e.sims.list(),
  'sim.add': (e, p) => e.addSimulatedMotor(p.id, p.fault ?? null, p.rateHz),
  'sim.setFault': (e, p) => e.sims.setFault(p.id, p.fault),
  'sim.remove': async (e, p) => ({ removed: await e.sims.remove(p.id) }),
  ...healthHandlers,
  ...twin3dHandlers,
  ...sparkplugHandlers,
  ...serialHandlers,
  ...commandHandlers,
  ...agentHandlers,
  ...benchtestHandlers,
  ...modbusHandlers,
  ...brokerHandlers,
  ...importHandlers,
  ...plantHandlers,
};
