import type {SensitivityRow} from '../estimate/uncertainty/sensitivity.js';
import {formatQuantity, scientific} from '../render/format-quantity.js';

/** The sensitivity ranking as text: each input, its range, and the output at both ends. */
export function formatSensitivity(label: string, unit: string, ranking: readonly SensitivityRow[], limit = 15): string {
  const shown = ranking.slice(0, limit);
  const width = Math.max(...shown.map((row) => row.input.length), 5);
  const lines = [
    `Sensitivity of ${label}: inputs ranked by how far they move it (p5–p95 where a range is given, else ±10%)`,
  ];
  for (const row of shown) {
    const range = `${scientific(row.inputLow)}–${scientific(row.inputHigh)}${row.ranged ? '' : ' (±10%)'}`;
    lines.push(
      `  ${row.input.padEnd(width)}  ${range.padEnd(24)}  ${formatQuantity(row.outputAtLow, unit)} → ${formatQuantity(row.outputAtHigh, unit)}`,
    );
  }
  if (ranking.length > limit) lines.push(`  … ${ranking.length - limit} more inputs`);
  return `${lines.join('\n')}\n`;
}
