import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, servePage, type ServedPage } from '../support/browser';
import { tempDir } from '../support/tools';
import { startFakeOpenAi, toolResultsOf, type FakeOpenAi } from '../support/fakeOpenAi';

// The chat as an engineer uses it, in Chromium against `serve`: first without a model (the deterministic
// answer, labelled so, with a citation that opens the manual at the page), then a manual imported on the
// manuals page, a model set up there, and a streamed answer with tool steps and citations.

describe('ask the twin in the UI', () => {
  let served: ServedPage;
  let url: string;
  let page: Page;
  let errors: string[];
  let fake: FakeOpenAi;

  beforeAll(async () => {
    fake = await startFakeOpenAi({
      chunkDelayMs: 5,
      brain: (req) => {
        const results = toolResultsOf(req);
        if (!results.length) return { toolCalls: [{ name: 'get_twin_state', args: {} }, { name: 'search_manuals', args: { query: 'overheating' } }] };
        return { content: 'The frame temperature is above its alarm limit. Reduce the load by 20 % and clean the cooling fins [1].' };
      },
    });
    delete process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_BASE_URL;
    served = await servePage('/#/motor/motor_01', { args: ['--sim-fault', 'overheating'] });
    ({ url, page, errors } = served);
  });

  afterAll(async () => {
    await served?.close();
    await fake?.close();
  });

  it('without a model, says so and answers from the twin and the manuals, with a citation that opens the page', async () => {
    await expect.poll(() => page.getByTestId('chat-mode').innerText(), { timeout: 20_000 }).toMatch(/No model configured/);
    await page.getByTestId('chat-suggestions').getByText('What does the manual say about bearing noise?').click();
    const answer = page.getByTestId('chat-answer').last();
    await expect.poll(() => answer.getAttribute('data-mode'), { timeout: 20_000 }).toBe('fallback');
    expect(await answer.innerText()).toMatch(/Not from a language model/);
    await answer.getByTestId('cite-chip').first().click();
    await page.getByTestId('manual-viewer').waitFor();
    expect(await page.getByTestId('viewer-text').locator('mark').innerText()).toMatch(/bearing/i);
    await page.getByTestId('viewer-close').click();
  });

  it('imports a manual on the manuals page with its status, and sets up the model', async () => {
    await page.getByTestId('nav-manuals').click();
    await page.getByTestId('manuals-page').waitFor();
    const file = join(tempDir(), 'fan-guide.md');
    writeFileSync(file, '# Fan guide\n\n## Cleaning\n\nClean the cooling fan cowl every month in dusty rooms.');
    await page.getByTestId('manual-file-input').setInputFiles(file);
    await expect.poll(() => page.getByTestId('import-row').first().getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
    await expect.poll(() => page.getByTestId('manual-row').filter({ hasText: 'fan-guide.md' }).count()).toBe(1);
    await page.getByTestId('model-baseUrl').fill(fake.url);
    await page.getByTestId('model-model').fill('fake-model');
    await page.getByTestId('model-save').click();
    await expect.poll(() => page.getByTestId('model-note').innerText()).toBe('Saved.');
    await page.getByTestId('model-test').click();
    await expect.poll(() => page.getByTestId('model-note').innerText(), { timeout: 20_000 }).toMatch(/fake-model at .* answered/);
    await page.screenshot({ path: join(ARTIFACTS, 'manuals.png') });
  });

  it('with a model, streams the answer with compact tool steps and citation chips', async () => {
    await page.goto(`${url}/#/motor/motor_01`);
    await expect.poll(() => page.getByTestId('chat-mode').innerText(), { timeout: 20_000 }).toMatch(/fake-model/);
    await page.getByTestId('chat-input').fill('Why is motor_01 running hot?');
    await page.getByTestId('chat-send').click();
    const answer = page.getByTestId('chat-answer').filter({ hasText: 'Reduce the load' });
    await expect.poll(() => answer.count(), { timeout: 30_000 }).toBe(1);
    expect(await answer.getAttribute('data-mode')).toBe('model');
    const steps = await answer.getByTestId('chat-steps').innerText();
    expect(steps).toMatch(/read the live state/);
    expect(steps).toMatch(/searched manuals: overheating/);
    expect(await answer.getByTestId('cite-chip').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'chat.png') });
    expect(errors).toEqual([]);
  });
});
