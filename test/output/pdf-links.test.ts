import {describe, expect, it} from 'vitest';
import {pdfProblem, relativeSiteLinks} from '../../src/output/pdf-links.js';

const pdf = (body: string) => Buffer.from(`%PDF-1.4\n${body}\nxref\n0 1\nstartxref\n9\n%%EOF\n`, 'latin1');

describe('relativeSiteLinks', () => {
  it('makes links into the printed site relative to the PDF, keeping every byte offset', () => {
    const before = pdf(
      '<< /A << /S /URI /URI (http://tradeoffs.invalid/other/index.html#x) >> >> << /URI (https://example.com/) >> << /URI (http://tradeoffs.invalid/a\\(b\\).csv) >>',
    );
    const after = relativeSiteLinks(before, 'http://tradeoffs.invalid/', 'pdf/report.pdf');
    expect(after.length).toBe(before.length);
    const text = after.toString('latin1');
    expect(text).toContain('/URI (../other/index.html#x) ');
    expect(text).toContain('/URI (https://example.com/)');
    expect(text).toContain('/URI (../a\\(b\\).csv) ');
    expect(text.indexOf('xref')).toBe(before.toString('latin1').indexOf('xref'));
  });
});

describe('pdfProblem', () => {
  it('passes a PDF of links to the web, mail and the site', () => {
    expect(
      pdfProblem(pdf('<< /URI (https://a.example/) >> << /URI (../x/index.html) >> << /URI (mailto:a@b.c) >>')),
    ).toBe(undefined);
  });

  it('refuses scripts, actions and embedded files, however their names are spelled, and links elsewhere', () => {
    for (const [body, problem] of [
      ['<< /OpenAction 3 0 R >>', '/OpenAction'],
      ['<< /S /J#61vaScript >>', '/JavaScript'],
      ['<< /Type /ObjStm /N 3 >>', '/ObjStm'],
      ['<< /S /Launch /F (calc.exe) >>', '/Launch'],
      ['<< /URI (file:///etc/passwd) >>', 'a link to "file:///etc/passwd"'],
      ['<< /URI (javascript:alert\\(1\\)) >>', 'a link to "javascript:alert(1)"'],
      ['<< /URI <6a6176617363726970743a31> >>', 'a link to "javascript:1"'],
      ['<< /URI 7 0 R >>', 'a link as an indirect object'],
    ] as const)
      expect(pdfProblem(pdf(body)), body).toBe(problem);
    expect(pdfProblem(Buffer.from('<html>'))).toBe('no PDF header');
    expect(pdfProblem(Buffer.from('%PDF-1.4\n<< >>'))).toBe('no end of file marker');
  });
});
