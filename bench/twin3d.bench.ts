import { resolve } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { createEngine } from '../src/main/engine';
import { startHttpServer } from '../src/main/server/httpServer';
import { launchChromium } from '../tests/support/browser';
import { freePort, tempDir } from '../tests/support/tools';
import { linearSlope, percentile, round, type Figure } from './figure';

const ROOT = resolve(import.meta.dirname, '..');
const RATE_HZ = 10;
const FLEET = 10;

/**
 * Frame intervals (ms) the page sees over `ms`, from requestAnimationFrame: what the user gets. A string,
 * so the TypeScript loader's helpers (`__name`) do not end up in the page.
 */
async function frameTimes(page: Page, ms: number): Promise<number[]> {
  return page.evaluate(`new Promise((done) => {
    const out = [];
    let last = performance.now();
    const end = last + ${ms};
    requestAnimationFrame(function step(t) {
      out.push(t - last);
      last = t;
      if (t < end) requestAnimationFrame(step);
      else done(out.slice(1));
    });
  })`);
}

/** Live telemetry at 10 Hz for the given motors: temperature, vibration and speed that keep changing. */
function publishLive(pub: MqttClient, ids: string[]): () => void {
  let seq = 0;
  const timer = setInterval(() => {
    seq++;
    for (const [i, id] of ids.entries()) {
      const wave = Math.sin(seq / 20 + i);
      pub.publish(
        `factory/${id}/telemetry`,
        JSON.stringify({ device_id: id, seq, temperature: 60 + 25 * wave, vib_velocity: 2.5 + 2 * wave, vibration: 0.02, rpm: 1480 + 5 * wave, ambient: 24 }),
        { qos: 0 },
      );
    }
  }, 1000 / RATE_HZ);
  return () => clearInterval(timer);
}

const summary = (xs: number[]) => ({ p95: round(percentile(xs, 95)), fps: round(1000 / (xs.reduce((a, b) => a + b, 0) / xs.length), 1) });

/**
 * The 3D twin at 1280x720 in headless Chromium on SwiftShader: the fleet page with 10 motors at 10 Hz
 * (2D glyphs, no WebGL); frame-time p95 and fps of the motor page with every overlay on, against the bare
 * model (overlays and tags off, same telemetry), alternating the two so drift hits both; the JS heap
 * across those runs; and the fleet page again, to show the 3D view leaves nothing running.
 * Headless Chromium caps at 60 fps, so a frame time near 16.7 ms means "as fast as the display".
 */
export async function benchTwin3d(opts: { quick: boolean }): Promise<Figure[]> {
  const windowMs = opts.quick ? 3000 : 10_000;
  const rounds = opts.quick ? 2 : 3;
  // A private build: out/renderer is shared with whatever else builds the UI meanwhile (tests build it in development mode).
  const uiDir = tempDir('bench-twin3d-ui-');
  await build({ configFile: resolve(ROOT, 'vite.web.config.ts'), logLevel: 'silent', mode: 'production', build: { outDir: uiDir, emptyOutDir: true } });
  const engine = await createEngine({ dataDir: tempDir('bench-twin3d-'), broker: { mode: 'embedded', host: '127.0.0.1', port: await freePort() } });
  const server = await startHttpServer(engine, { host: '127.0.0.1', port: 0, uiDir });
  const browser = await launchChromium();
  const pub = await mqtt.connectAsync(engine.brokerForClients().url, { clientId: `bench-twin3d-${process.pid}` });
  const ids = Array.from({ length: FLEET }, (_, i) => `b3d_${String(i).padStart(2, '0')}`);
  const stop = publishLive(pub, ids);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(server.url);
    await page.getByTestId(`glyph-${ids[FLEET - 1]}`).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1000);
    const fleet = await frameTimes(page, windowMs * rounds);
    const cdp = await page.context().newCDPSession(page);
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize / 1e6;
    };
    const heapFleet = await heap();
    await page.goto(`${server.url}/#/motor/${ids[0]}`);
    await page.locator('[data-testid="tag-temperature"][data-x]').waitFor({ state: 'attached', timeout: 60_000 });
    await page.waitForTimeout(2000);
    const toggles = ['toggle-heat', 'toggle-vibration', 'toggle-tags'];
    const overlay: number[] = [];
    const bare: number[] = [];
    const heapBefore = await heap();
    for (let r = 0; r < rounds; r++) {
      overlay.push(...(await frameTimes(page, windowMs)));
      for (const t of toggles) await page.getByTestId(t).click();
      await page.waitForTimeout(300);
      bare.push(...(await frameTimes(page, windowMs)));
      for (const t of toggles) await page.getByTestId(t).click();
      await page.waitForTimeout(300);
    }
    const heapGrowth = (await heap()) - heapBefore;

    // The motor page left open with every overlay live: JS heap after GC and the renderer's GPU resources
    // (geometries + textures, which the canvas reports) sampled over the run.
    const longMs = opts.quick ? 20_000 : 600_000;
    const gpu = () => page.evaluate('(() => { const c = document.querySelector("canvas[data-geometries]"); return c ? Number(c.dataset.geometries) + Number(c.dataset.textures) : NaN; })()') as Promise<number>;
    const gpuStart = await gpu();
    const longHeap: Array<[number, number]> = [];
    const longStarted = Date.now();
    while (Date.now() - longStarted < longMs) {
      await page.waitForTimeout(longMs / 20);
      longHeap.push([(Date.now() - longStarted) / 60_000, await heap()]);
    }
    const gpuEnd = await gpu();
    const heapHalf = longHeap.slice(Math.floor(longHeap.length / 2));
    const longSlope = linearSlope(heapHalf);
    const longMean = heapHalf.reduce((a, p) => a + p[1], 0) / heapHalf.length;
    const longMin = round(longMs / 60_000, 1);

    // Back on the fleet page: the 3D view's renderer must be gone, not drawing in the background.
    await page.getByTestId('nav-fleet').click();
    await page.getByTestId(`glyph-${ids[FLEET - 1]}`).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(3000);
    const fleetAfter = await frameTimes(page, windowMs * rounds);
    // three.js marks its canvases; none may be left once the motor page is gone.
    const leftCanvases = (await page.evaluate('document.querySelectorAll("canvas[data-engine]").length')) as number;
    const retained = (await heap()) - heapFleet;

    const o = summary(overlay);
    const b = summary(bare);
    const f = summary(fleet);
    const fa = summary(fleetAfter);
    const ratio = round(o.p95 / b.p95);
    return [
      {
        name: 'twin3d_frame_p95_overlays_10hz',
        value: o.p95,
        unit: 'ms',
        baseline: b.p95,
        baselineName: `bare model, overlays and tags off, same telemetry (${o.fps} fps with overlays, ${b.fps} fps bare; 1280x720, SwiftShader, 60 fps cap)`,
        ratio,
        goal: '<= 1.25x the bare model',
        pass: ratio <= 1.25,
      },
      {
        name: 'twin3d_fps_overlays_10hz',
        value: o.fps,
        unit: 'fps',
        baseline: b.fps,
        baselineName: 'bare model',
        ratio: round(o.fps / b.fps),
        goal: 'reported (60 fps cap headless)',
        pass: true,
      },
      {
        name: 'twin3d_heap_growth',
        value: round(heapGrowth, 2),
        unit: 'MB',
        baseline: round(heapBefore, 1),
        baselineName: `JS heap after GC before the overlay runs (${round(((rounds * 2 * windowMs) / 1000) * RATE_HZ)} telemetry updates in between)`,
        ratio: null,
        goal: 'flat: < 5 MB over the run',
        pass: heapGrowth < 5,
      },
      // A slope over the quick run's 20 s would measure the live buffers filling, not a leak.
      ...(opts.quick
        ? []
        : [
            {
              name: `twin3d_heap_slope_${longMin}min`,
              value: round(longSlope, 3),
              unit: 'MB/min',
              baseline: round(longMean, 1),
              baselineName: 'mean JS heap after GC over the second half of the run (MB)',
              ratio: round(longSlope / longMean, 4),
              goal: 'flat: slope < 1 % of the mean heap per minute',
              pass: longSlope < 0.01 * longMean,
            },
          ]),
      {
        name: `twin3d_gpu_resources_${longMin}min`,
        value: gpuEnd,
        unit: 'geometries+textures',
        baseline: gpuStart,
        baselineName: 'held at the start of the run',
        ratio: round(gpuEnd / gpuStart),
        goal: 'flat: none added over the run',
        pass: Number.isFinite(gpuStart) && gpuEnd <= gpuStart,
      },
      {
        name: 'fleet_frame_p95_10_motors_10hz',
        value: f.p95,
        unit: 'ms',
        baseline: null,
        baselineName: undefined,
        ratio: null,
        goal: `smooth: p95 <= 2 frames at 60 Hz (${f.fps} fps)`,
        pass: f.p95 <= 34,
      },
      {
        name: 'twin3d_left_behind_after_leaving',
        value: round(retained, 2),
        unit: 'MB',
        baseline: round(heapFleet, 1),
        baselineName: `JS heap on the fleet page before the 3D view opened; three.js canvases left: ${leftCanvases}; fleet frame p95 afterwards ${fa.p95} ms (${fa.fps} fps; the live buffers have grown towards their 6-minute window meanwhile)`,
        ratio: null,
        goal: 'no three.js canvas left; < 8 MB kept (the loaded three.js module stays, about 5 MB)',
        pass: leftCanvases === 0 && retained < 8,
      },
    ];
  } finally {
    stop();
    await pub.endAsync();
    await browser.close();
    await server.close();
    await engine.close();
  }
}
