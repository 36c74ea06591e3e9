/**
 * Jupyter notebooks: code cells are joined into one Python text so flows across cells are seen,
 * with a map from each joined line back to the notebook file's own line, so findings point into
 * the `.ipynb` a reader opens.
 */
export interface NotebookSource {
  code: string;
  /** `lineMap[i]` is the 1-based line in the .ipynb file for line i+1 of `code`. */
  lineMap: number[];
}

export class NotebookError extends Error {}

export function notebookToPython(json: string): NotebookSource {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    throw new NotebookError(`not valid notebook JSON: ${(err as Error).message}`);
  }
  const cells = (doc as { cells?: unknown }).cells;
  if (!Array.isArray(cells)) throw new NotebookError('notebook has no cells array');
  const fileLines = json.split('\n');
  const lines: string[] = [];
  const lineMap: number[] = [];
  let searchFrom = 0;
  for (const cell of cells as { cell_type?: string; source?: string | string[] }[]) {
    if (cell.cell_type !== 'code') continue;
    const text = Array.isArray(cell.source) ? cell.source.join('') : (cell.source ?? '');
    for (const raw of text.split('\n')) {
      // IPython magics and shell escapes are not Python; keep the line count, drop the text.
      const codeLine = /^\s*[%!]/.test(raw) ? '' : raw;
      const at = findLine(fileLines, raw, searchFrom);
      if (at >= 0) searchFrom = at + 1;
      lines.push(codeLine);
      lineMap.push(at >= 0 ? at + 1 : Math.max(1, searchFrom));
    }
    lines.push('');
    lineMap.push(Math.max(1, searchFrom));
  }
  return { code: lines.join('\n'), lineMap };
}

/** Cell lines are stored as JSON strings, one per file line in the usual layout: find the next one. */
function findLine(fileLines: string[], raw: string, from: number): number {
  if (!raw.trim()) return -1;
  const encoded = JSON.stringify(raw).slice(1, -1);
  for (let i = from; i < fileLines.length; i++) {
    if (fileLines[i].includes(encoded)) return i;
  }
  return -1;
}
