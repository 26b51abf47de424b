// A minimal PDF writer: text pages in Helvetica, a cross-reference table, a title. Enough to make real PDF
// files for the importer's tests and benchmark without a PDF library in the project.

export function makePdf(pages: string[][], title = 'Test manual'): Uint8Array {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body) - 1 + 1; // object numbers start at 1
  const catalog = add('');
  const pagesObj = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const info = add(`<< /Title (${escape(title)}) /Producer (MotorTwin tests) >>`);
  const kids: number[] = [];
  for (const lines of pages) {
    const ops = ['BT', '/F1 11 Tf', '14 TL', '56 780 Td', ...lines.map((l, i) => `${i ? 'T* ' : ''}(${escape(l)}) Tj`), 'ET'].join('\n');
    const content = add(`<< /Length ${Buffer.byteLength(ops, 'latin1')} >>\nstream\n${ops}\nendstream`);
    kids.push(add(`<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 612 842] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${content} 0 R >>`));
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`;
  objects[pagesObj - 1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${info} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

const escape = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?');

/** A manual of `n` pages of plausible maintenance text, each page naming its number. */
export function maintenancePages(n: number, linesPerPage = 40): string[][] {
  const topics = ['bearing lubrication', 'winding insulation', 'shaft alignment', 'cooling fan', 'terminal box', 'vibration survey', 'brush wear', 'coupling'];
  return Array.from({ length: n }, (_, p) =>
    Array.from({ length: linesPerPage }, (_, l) => {
      const topic = topics[(p + l) % topics.length];
      return l === 0 ? `Page ${p + 1}: ${topic}` : `Check the ${topic} of the motor at interval ${p * linesPerPage + l} and record the reading.`;
    }),
  );
}
