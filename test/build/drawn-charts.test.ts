import {describe, expect, it} from 'vitest';
import {drawnCharts} from '../../src/build/drawn-charts.js';

describe('drawnCharts', () => {
  it('gives a drawing back as it was kept, to the byte (−0 and all), and nothing for another key', async () => {
    const drawn = drawnCharts();
    try {
      const chart = {
        svg: '<svg>–</svg>',
        warnings: ['a'],
        table: {columns: ['x'], rows: [{x: -0}, {x: Number.NaN}], total: 2},
      };
      await drawn.set('k', chart);
      const back = await drawn.get('k');
      expect(back).toEqual(chart);
      expect(Object.is(back?.table?.rows[0]?.x, -0)).toBe(true);
      expect(await drawn.get('other')).toBeUndefined();
    } finally {
      await drawn.dispose();
    }
  });

  it('treats an entry that is not a drawing as missing', async () => {
    const drawn = drawnCharts();
    try {
      await drawn.set('bad', {svg: 1, warnings: 'no'} as never);
      expect(await drawn.get('bad')).toBeUndefined();
    } finally {
      await drawn.dispose();
    }
  });

  it('keeps nothing once disposed', async () => {
    const drawn = drawnCharts();
    await drawn.set('k', {svg: '<svg/>', warnings: []});
    await drawn.dispose();
    expect(await drawn.get('k')).toBeUndefined();
  });
});
