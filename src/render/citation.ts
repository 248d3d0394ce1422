/** A report as a work to cite: what its BibTeX and CSL JSON say. */
export interface CitedReport {
  readonly slug: string;
  readonly title: string;
  readonly summary: string;
  readonly authors: readonly string[];
  /** The date the report is dated by, YYYY-MM-DD (from the inputs: the build's when the environment gives it, else the data's). */
  readonly date: string;
  /** The build's date, YYYY-MM-DD, when the environment gives it (builds never read the clock). */
  readonly builtOn: string | null;
  readonly version: string;
  readonly commit: string | null;
}

/**
 * The report as a BibTeX `@misc` entry (biblatex and BibTeX both read it):
 * the title braced so its capitals stay, special characters escaped, the
 * report's date as year and month, the tool version and commit as a note.
 */
export function bibtex(report: CitedReport): string {
  const [year, month] = report.date.split('-');
  const fields: Array<[string, string]> = [['title', `{${escapeBibtex(report.title)}}`]];
  if (report.authors.length > 0) fields.push(['author', report.authors.map(escapeBibtex).join(' and ')]);
  fields.push(['year', year ?? '']);
  if (month) fields.push(['month', String(Number(month))]);
  fields.push(['howpublished', 'Report made with tradeoffs']);
  fields.push(['note', escapeBibtex(note(report))]);
  const key = `tradeoffs-${report.slug}`.replace(/[^A-Za-z0-9:._-]/g, '-');
  return `@misc{${key},\n${fields.map(([name, value]) => `  ${name} = {${value}}`).join(',\n')}\n}\n`;
}

/** The report as CSL JSON (citeproc, Zotero, Pandoc): one item of type `report`. */
export function cslJson(report: CitedReport): string {
  const dateParts = report.date.split('-').map(Number);
  const item = {
    id: `tradeoffs-${report.slug}`,
    type: 'report',
    title: report.title,
    ...(report.authors.length > 0 ? {author: report.authors.map((name) => ({literal: name}))} : {}),
    issued: {'date-parts': [dateParts]},
    abstract: report.summary,
    genre: 'Report made with tradeoffs',
    note: note(report),
    language: 'en',
  };
  return `${JSON.stringify([item], null, 2)}\n`;
}

function note(report: CitedReport): string {
  return `${report.builtOn ? `Built ${report.builtOn}` : 'Made'} by tradeoffs ${report.version}${report.commit ? ` from commit ${report.commit}` : ''}`;
}

/** Characters BibTeX reads as commands or groups, written so it prints them. */
function escapeBibtex(text: string): string {
  return text.replace(/[\\{}&%$#_~^]/g, (character) => BIBTEX_ESCAPES[character] ?? character);
}

const BIBTEX_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};
