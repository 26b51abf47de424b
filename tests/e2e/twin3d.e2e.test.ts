import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, servePage, type ServedPage } from '../support/browser';
import { requireTool } from '../support/tools';
import { tinyGlb } from '../../src/shared/testFixtures/tinyGlb';

// The 3D twin in Debian's Chromium on SwiftShader against `motortwin serve`: the motor is drawn, a
// temperature published over MQTT recolours the frame at its sensor, a bearing can be picked, a broken
// model file is refused without losing the built-in one, and a lost WebGL context comes back.
const ID = 'motor_3d';

type Rgb = { r: number; g: number; b: number };

/** The average colour of a square of the page, read from a screenshot (WebGL's own buffer is not kept). */
async function regionColour(page: Page, x: number, y: number, half: number): Promise<Rgb & { distinct: number }> {
  const png = await page.screenshot({ clip: { x: x - half, y: y - half, width: 2 * half, height: 2 * half } });
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let r = 0;
    let g = 0;
    let b = 0;
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4) {
      r += d[i];
      g += d[i + 1];
      b += d[i + 2];
      seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    }
    const n = d.length / 4;
    return { r: r / n, g: g / n, b: b / n, distinct: seen.size };
  }, png.toString('base64'));
}

describe('the 3D twin in Chromium (SwiftShader)', () => {
  let served: ServedPage;
  let url: string;
  let mqttPort: number;
  let page: Page;
  let errors: string[];
  const mosquittoPub = requireTool('mosquitto_pub', 'mosquitto-clients');

  const publish = (values: Record<string, number>, id = ID) =>
    execFileSync(mosquittoPub, ['-h', '127.0.0.1', '-p', String(mqttPort), '-q', '1', '-t', `factory/${id}/telemetry`, '-m', JSON.stringify({ device_id: id, ...values })]);

  /** Where a sensor's tag points, in page coordinates. */
  const anchor = async (reading: string) => {
    const tag = page.getByTestId(`tag-${reading}`);
    await expect.poll(() => tag.getAttribute('data-x'), { timeout: 20_000 }).not.toBeNull();
    const stage = (await page.getByTestId('twin3d-stage').boundingBox())!;
    return { x: stage.x + 1 + Number(await tag.getAttribute('data-x')), y: stage.y + 1 + Number(await tag.getAttribute('data-y')) };
  };
  const redness = (c: Rgb) => c.r - c.b;

  beforeAll(async () => {
    served = await servePage(`/#/motor/${ID}`, {
      args: ['--no-sim'],
      size: { width: 1280, height: 900 },
      beforeOpen: (s) => {
        mqttPort = s.mqttPort;
        publish({ temperature: 30, vib_velocity: 1.0, rpm: 1480 });
      },
    });
    ({ url, page, errors } = served);
  });

  afterAll(async () => {
    await served?.close();
  });

  it('draws the motor: the canvas is not blank', async () => {
    await page.getByTestId('twin3d-stage').locator('canvas').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('tag-value-temperature').innerText(), { timeout: 20_000 }).toMatch(/^30\.0/);
    const stage = (await page.getByTestId('twin3d-stage').boundingBox())!;
    const centre = await regionColour(page, stage.x + stage.width / 2, stage.y + stage.height / 2, 120);
    expect(centre.distinct).toBeGreaterThan(200);
    await page.getByTestId('twin3d-stage').screenshot({ path: join(ARTIFACTS, 'twin3d-cool.png') });
  });

  it('recolours the frame where the temperature sensor is when a new temperature arrives over MQTT', async () => {
    const at = await anchor('temperature');
    const cool = await regionColour(page, at.x, at.y + 2, 3);
    publish({ temperature: 110, vib_velocity: 1.0, rpm: 1480 });
    await expect.poll(() => page.getByTestId('tag-value-temperature').innerText(), { timeout: 10_000 }).toMatch(/^110\.0/);
    await expect.poll(async () => redness(await regionColour(page, at.x, at.y + 2, 3)), { timeout: 5000 }).toBeGreaterThan(redness(cool) + 80);
    await page.getByTestId('twin3d-stage').screenshot({ path: join(ARTIFACTS, 'twin3d-hot.png') });
  });

  it('opens the drive-end bearing panel when the bearing is clicked', async () => {
    const at = await anchor('vib_velocity');
    await page.mouse.click(at.x, at.y + 2);
    const panel = page.getByTestId('part-panel-bearing_de');
    await panel.waitFor({ timeout: 5000 });
    await expect.poll(() => page.getByTestId('part-value-vib_velocity').innerText()).toMatch(/^1\.00 mm\/s · ISO zone A/);
    await page.getByTestId('twin3d-stage').screenshot({ path: join(ARTIFACTS, 'twin3d-bearing-panel.png') });
    await page.getByTestId('part-panel-close').click();
  });

  it('refuses a broken glTF file with a clear message and keeps the built-in model', async () => {
    await page.getByTestId('import-model-file').setInputFiles({ name: 'broken.glb', mimeType: 'model/gltf-binary', buffer: Buffer.from('not a model at all') });
    await expect.poll(() => page.getByTestId('twin3d-message').innerText(), { timeout: 10_000 }).toMatch(/broken\.glb.*not a valid glTF.*Keeping the built-in model/i);
    await expect(page.getByTestId('twin3d').innerText()).resolves.toMatch(/built-in motor/);
  });

  it('survives losing the WebGL context and draws again once it is restored', async () => {
    const box = (await page.getByTestId('twin3d-stage').boundingBox())!;
    const corner = await regionColour(page, box.x + 20, box.y + 20, 4);
    await page.evaluate(() => {
      const canvas = document.querySelector('[data-testid="twin3d-stage"] canvas') as HTMLCanvasElement;
      const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl'))!;
      (window as unknown as { __lose: WEBGL_lose_context }).__lose = gl.getExtension('WEBGL_lose_context')!;
      (window as unknown as { __lose: WEBGL_lose_context }).__lose.loseContext();
    });
    await page.getByTestId('context-lost').waitFor({ timeout: 5000 });
    await page.evaluate(() => (window as unknown as { __lose: WEBGL_lose_context }).__lose.restoreContext());
    await page.getByTestId('context-lost').waitFor({ state: 'detached', timeout: 10_000 });
    const at = await anchor('temperature');
    await expect.poll(async () => redness(await regionColour(page, at.x, at.y + 2, 3)), { timeout: 10_000 }).toBeGreaterThan(60);
    publish({ temperature: 30, vib_velocity: 1.0, rpm: 1480 });
    await expect.poll(async () => redness(await regionColour(page, at.x, at.y + 2, 3)), { timeout: 10_000 }).toBeLessThan(0);
    expect((await regionColour(page, box.x + box.width / 2, box.y + box.height / 2, 120)).distinct).toBeGreaterThan(200);
    // The background is the theme's again, not the black of a fresh context.
    const after = await regionColour(page, box.x + 20, box.y + 20, 4);
    expect(Math.abs(after.r - corner.r) + Math.abs(after.g - corner.g) + Math.abs(after.b - corner.b)).toBeLessThan(15);
    await page.getByTestId('twin3d-stage').screenshot({ path: join(ARTIFACTS, 'twin3d-restored.png') });
  });

  it('replays the last 24 hours from the history, then returns to live', async () => {
    await page.getByTestId('replay-toggle').click();
    await expect.poll(() => page.getByTestId('replay-time').innerText(), { timeout: 15_000 }).toMatch(/\d{1,2}:\d{2}:\d{2}/);
    const range = page.getByTestId('replay-range');
    expect(Number(await range.getAttribute('max'))).toBeGreaterThanOrEqual(0);
    await range.fill('0');
    // The replayed bucket averages the readings published so far (30, 110 and 30 °C), unlike any live value.
    await expect.poll(() => page.getByTestId('tag-value-temperature').innerText(), { timeout: 10_000 }).not.toMatch(/^30\.0/);
    await page.getByTestId('twin3d-stage').screenshot({ path: join(ARTIFACTS, 'twin3d-replay.png') });
    await page.getByTestId('replay-toggle').click();
    await expect.poll(() => page.getByTestId('tag-value-temperature').innerText(), { timeout: 10_000 }).toMatch(/^30\.0/);
  });

  it('imports a GLB, places the temperature sensor on it by clicking, and keeps both across a reload', async () => {
    await page.getByTestId('import-model-file').setInputFiles({ name: 'tiny.glb', mimeType: 'model/gltf-binary', buffer: Buffer.from(tinyGlb()) });
    await expect.poll(() => page.getByTestId('twin3d-message').innerText(), { timeout: 15_000 }).toMatch(/tiny\.glb loaded/);
    await page.getByTestId('place-sensor').selectOption('temperature');
    const stage = (await page.getByTestId('twin3d-stage').boundingBox())!;
    await page.mouse.click(stage.x + stage.width / 2, stage.y + stage.height / 2);
    await expect.poll(() => page.getByTestId('tag-temperature').getAttribute('data-x'), { timeout: 10_000 }).not.toBeNull();
    await page.getByTestId('twin3d-stage').screenshot({ path: join(ARTIFACTS, 'twin3d-custom.png') });
    // The node named like a shaft turns by itself; the user can choose other parts by clicking them.
    await expect.poll(() => page.getByTestId('turning-parts').innerText()).toMatch(/Turns with the shaft: Shaft\b/);
    await page.getByTestId('choose-turning').click();
    await page.mouse.click(stage.x + stage.width / 2, stage.y + stage.height / 2);
    await expect.poll(() => page.getByTestId('turning-parts').innerText(), { timeout: 10_000 }).toMatch(/Shaft, Housing/);
    await page.getByTestId('choose-turning').click();
    await page.reload();
    await expect.poll(() => page.getByTestId('twin3d').innerText(), { timeout: 20_000 }).toMatch(/tiny\.glb/);
    await expect.poll(() => page.getByTestId('tag-temperature').getAttribute('data-x'), { timeout: 20_000 }).not.toBeNull();
    await expect.poll(() => page.getByTestId('turning-parts').innerText(), { timeout: 10_000 }).toMatch(/Shaft, Housing/);
    await page.getByTestId('remove-model').click();
    await expect.poll(() => page.getByTestId('twin3d').innerText(), { timeout: 10_000 }).toMatch(/built-in motor/);
  });

  it('leaves the frame grey with "no data" for a motor that reports no temperature', async () => {
    publish({ rpm: 1480, vib_velocity: 0.5 }, 'motor_quiet');
    await page.goto(`${url}/#/motor/motor_quiet`);
    await expect.poll(() => page.getByTestId('tag-value-temperature').innerText(), { timeout: 20_000 }).toBe('no data');
    const at = await anchor('temperature');
    await expect
      .poll(
        async () => {
          const c = await regionColour(page, at.x, at.y + 2, 3);
          return Math.max(Math.abs(c.r - c.g), Math.abs(c.g - c.b), Math.abs(c.r - c.b));
        },
        { timeout: 10_000 },
      )
      .toBeLessThan(20);
  });

  it('reads in the dark theme, shows the 2D glyph on the fleet, and logged no errors', async () => {
    await page.getByTestId('theme-toggle').click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(ARTIFACTS, 'twin3d-dark.png') });
    await page.getByTestId('nav-fleet').click();
    await page.getByTestId(`glyph-${ID}`).waitFor();
    // MotorPage's status reasons repeat a React key when two rules flag the same reading: not the 3D view's (reported).
    expect(errors).toEqual([]);
  });
});
