import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openReport } from './openReport';

describe('opening a bench report in the desktop app', () => {
  const data = mkdtempSync(join(tmpdir(), 'open-report-'));
  const reports = join(data, 'reports');
  mkdirSync(reports);
  writeFileSync(join(reports, 'run-1.pdf'), '%PDF-');
  writeFileSync(join(data, 'secret.html'), '<p>not a report</p>');

  it('opens a report the engine wrote, by its path in the reports folder', async () => {
    const openPath = vi.fn(async () => '');
    expect(await openReport(reports, join(reports, 'run-1.pdf'), openPath)).toBe('');
    expect(openPath).toHaveBeenCalledWith(join(reports, 'run-1.pdf'));
  });

  it('refuses anything else without opening it: other folders, other kinds of file, missing files', async () => {
    const openPath = vi.fn(async () => '');
    expect(await openReport(reports, '../secret.html', openPath)).toMatch(/not in the reports folder/);
    expect(await openReport(reports, '/etc/passwd', openPath)).toMatch(/not a report file name/);
    expect(await openReport(reports, 'run-1.sh', openPath)).toMatch(/not a report file name/);
    expect(await openReport(reports, { toString: () => 'run-1.pdf;rm' }, openPath)).toMatch(/not a report file name/);
    expect(await openReport(reports, 'run-2.pdf', openPath)).toMatch(/run-2\.pdf is not in the reports folder/);
    expect(openPath).not.toHaveBeenCalled();
  });

  it('passes on why the system could not open it', async () => {
    expect(await openReport(reports, 'run-1.pdf', async () => 'no application for PDF files')).toBe('no application for PDF files');
  });
});
