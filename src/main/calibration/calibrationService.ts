import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CalibrationRequest, CalibrationSensor, Certificate, Measurement } from '../../shared/serialContract';
import type { TelemetryPoint } from '../../shared/contract';
import type { IngestPipeline } from '../ingest/pipeline';
import type { SerialManager } from '../serial/serialManager';
import type { TwinRegistry } from '../twin/twinRegistry';
import { exportsDir } from '../store/exporter';
import { accelZero, IDENTITY_TEMPERATURE, pulsesPerRev, stats, temperatureCalibration, type TemperatureCal } from './calibrationMath';
import { certificateHtml } from './certificateHtml';
import type { CertificateStore } from './certificateStore';
import { DomainError } from '../platform/domainError';

const CALIBRATION_ID_TIMEOUT_MS = 8000;

/**
 * The calibration wizard's engine side: measures a sensor over a few seconds of live data, computes the
 * correction, sends CALIBRATE to the board on its serial port, waits for the acknowledgement and the new
 * calibration_id, measures again, and records a certificate.
 */
export class CalibrationService {
  constructor(
    private readonly pipeline: IngestPipeline,
    private readonly twins: TwinRegistry,
    private readonly serial: SerialManager,
    private readonly store: CertificateStore,
    private readonly dataDir: string,
  ) {}

  /** Averages live readings: temperature or rpm from telemetry, each accelerometer axis from waveform blocks. */
  measure(deviceId: string, sensor: CalibrationSensor, seconds: number): Promise<Measurement> {
    const series: number[][] = sensor === 'accel' ? [[], [], []] : [[]];
    const onTelemetry = (p: TelemetryPoint) => {
      if (p.id !== deviceId || sensor === 'accel') return;
      const v = p.values[sensor];
      if (typeof v === 'number') series[0].push(v);
    };
    const onWaveform = (w: { deviceId: string; payload: { axis: 'x' | 'y' | 'z'; samples: string; scale_g_per_lsb: number } }) => {
      if (w.deviceId !== deviceId || sensor !== 'accel') return;
      const bytes = Buffer.from(w.payload.samples, 'base64');
      const samples = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
      let sum = 0;
      for (const s of samples) sum += s;
      series['xyz'.indexOf(w.payload.axis)].push((sum / samples.length) * w.payload.scale_g_per_lsb);
    };
    this.pipeline.on('telemetry', onTelemetry);
    this.pipeline.on('waveform', onWaveform);
    return new Promise((resolve, reject) =>
      setTimeout(() => {
        this.pipeline.off('telemetry', onTelemetry);
        this.pipeline.off('waveform', onWaveform);
        if (series.some((s) => s.length === 0)) {
          return reject(
            new DomainError(
              'failed',
              sensor === 'accel'
                ? `no accelerometer waveform blocks from ${deviceId} in ${seconds} s: the firmware must stream waveforms during calibration`
                : `no ${sensor} readings from ${deviceId} in ${seconds} s: is the board connected and sending telemetry?`,
            ),
          );
        }
        resolve({ sensor, n: Math.min(...series.map((s) => s.length)), seconds, ...stats(series) });
      }, seconds * 1000),
    );
  }

  async run(req: CalibrationRequest): Promise<Certificate> {
    const board = this.serial.boardFor(req.deviceId);
    if (!board || board.state !== 'open') throw new DomainError('not_found', `${req.deviceId} is not on an open serial port: open its port under Boards first (calibration runs over USB)`);
    const current = (await this.store.current(req.deviceId, req.sensor)) ?? {};
    const before = await this.measure(req.deviceId, req.sensor, req.seconds);
    let values: Record<string, unknown>;
    let notes = '';
    if (req.sensor === 'temperature') {
      const cur: TemperatureCal = { offset: Number(current.offset ?? IDENTITY_TEMPERATURE.offset), gain: Number(current.gain ?? IDENTITY_TEMPERATURE.gain) };
      values = { ...temperatureCalibration(req.points, cur) };
      notes = `${req.points.length === 1 ? 'One-point' : 'Two-point'} calibration: ${req.points.map((p) => `reference ${p.reference} °C, board ${p.measured} °C`).join('; ')}.`;
    } else if (req.sensor === 'accel') {
      const cur = (Array.isArray(current.zero) ? current.zero : [0, 0, 0]) as [number, number, number];
      values = { zero: accelZero(before.mean, req.verticalAxis, cur) };
      notes = `Board at rest, ${req.verticalAxis} axis vertical; residual noise ${before.std.map((s) => s.toFixed(4)).join(' / ')} g (x / y / z).`;
    } else {
      values = { pulses_per_rev: pulsesPerRev(before.mean[0], req.referenceRpm, Number(current.pulses_per_rev ?? 1)) };
      notes = `Reference tachometer ${req.referenceRpm} rpm; board read ${before.mean[0]} rpm before.`;
    }
    const previousId = this.twins.get(req.deviceId)?.device.calibrationId ?? null;
    const ack = await board.command({ action: 'CALIBRATE', sensor: req.sensor, ...values });
    if (ack.status !== 'applied') throw new DomainError('failed', `the board ${ack.status} the calibration${ack.detail ? `: ${ack.detail}` : ''}; nothing was recorded`);
    const calibrationId = await this.newCalibrationId(req.deviceId, previousId);
    const after = await this.measure(req.deviceId, req.sensor, req.seconds);
    const twin = this.twins.get(req.deviceId);
    const cert: Certificate = {
      id: `cert-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`,
      deviceId: req.deviceId,
      board: twin?.device.board ?? null,
      port: board.path,
      sensor: req.sensor,
      instrument: req.reference.name,
      instrumentCertificate: req.reference.certificateNo,
      technician: req.technician,
      createdAt: Date.now(),
      calibrationId,
      values,
      before,
      after,
      notes,
    };
    await this.store.add(cert);
    return cert;
  }

  private async newCalibrationId(deviceId: string, previous: string | null): Promise<string> {
    const until = Date.now() + CALIBRATION_ID_TIMEOUT_MS;
    while (Date.now() < until) {
      const id = this.twins.get(deviceId)?.device.calibrationId;
      if (id && id !== previous) return id;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new DomainError('failed', 'the board acknowledged the calibration but did not report a new calibration_id in its status: check its firmware; nothing was recorded');
  }

  list(deviceId?: string): Promise<Certificate[]> {
    return this.store.list(deviceId);
  }

  async exportHtml(id: string): Promise<{ file: string; downloadPath: string }> {
    const cert = await this.store.get(id);
    if (!cert) throw new DomainError('not_found', `no certificate "${id}"`);
    const name = `${cert.id}.html`;
    const file = join(exportsDir(this.dataDir), name);
    await writeFile(file, certificateHtml(cert));
    return { file, downloadPath: `/api/exports/${encodeURIComponent(name)}` };
  }
}
