import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { servePage, type ServedPage } from '../support/browser';
import { TestEdgeNode } from '../support/sparkplugNode';

// The Sparkplug tab of the Boards page against `motortwin serve`: an edge node's device is listed with its
// twin and metrics, and its mapping is edited in the form.

describe('Sparkplug B in the browser', () => {
  let served: ServedPage;
  let page: Page;
  let node: TestEdgeNode;

  beforeAll(async () => {
    served = await servePage('/#/boards/sparkplug', {
      args: ['--no-sim'],
      async beforeOpen({ mqttPort }) {
        node = new TestEdgeNode(`mqtt://127.0.0.1:${mqttPort}`, 'plant', 'edge7');
        await node.connect();
        await node.nbirth();
        await node.dbirth('drive', [
          { name: 'Motor/Temperature', alias: 1, type: 'Float', value: 55 },
          { name: 'Current', alias: 2, type: 'Float', value: 8 },
          { name: 'Speed', alias: 3, type: 'Int32', value: 1490 },
        ]);
      },
    });
    page = served.page;
  });

  afterAll(async () => {
    await node?.close();
    await served?.close();
  });

  it('lists the device with its twin, and maps a metric to "not stored"', async () => {
    const row = page.getByTestId('sparkplug-row-plant/edge7/drive');
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toMatch(/edge7\.drive[\s\S]*online[\s\S]*3 \(3 as readings\)/);
    await page.getByTestId('sparkplug-edit-plant/edge7/drive').click();
    await page.getByTestId('sparkplug-metric-Speed').selectOption('');
    await page.getByTestId('sparkplug-save').click();
    await expect.poll(() => row.innerText(), { timeout: 10_000 }).toMatch(/3 \(2 as readings\)/);
    expect(served.errors).toEqual([]);
  });
});
