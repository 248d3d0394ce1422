import type {Component} from '../jsx-runtime.js';
import type {TemplateScope} from '../template-scope.js';
import {createChart, type ChartRequest} from './chart.js';
import {createEstimate, Metric} from './estimate.js';

/** The components every template can use without importing them, bound to one page's state. */
export function createComponents(scope: TemplateScope, charts: ChartRequest[]): Record<string, Component> {
  return {
    Chart: createChart(charts),
    Estimate: createEstimate(scope),
    Metric,
  };
}
