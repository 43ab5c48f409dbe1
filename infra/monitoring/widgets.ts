import type { Aggregation, DataSet, Dashboard, PlotType, Threshold, Tile, TimeSeriesQuery, Widget } from "./dashboard-types";

/** Mosaic layouts are 48 columns wide (the console's own grid). */
export const COLUMNS = 48;

/** A series drawn from a Monitoring filter. */
export function series(filter: string, aggregation: Aggregation, options: { plotType?: PlotType; legend?: string; unit?: string } = {}): DataSet {
  return {
    timeSeriesQuery: { timeSeriesFilter: { filter, aggregation }, ...(options.unit ? { unitOverride: options.unit } : {}) },
    plotType: options.plotType ?? "LINE",
    ...(options.legend ? { legendTemplate: options.legend } : {}),
  };
}

/**
 * A series that is the ratio of two filters, both aggregated the same way. Ratios are fractions;
 * the UCUM unit `10^2.%` makes the console show 0.01 as 1%.
 */
export function ratioSeries(numerator: string, denominator: string, aggregation: Aggregation, legend?: string): DataSet {
  const query: TimeSeriesQuery = { timeSeriesFilterRatio: { numerator: { filter: numerator, aggregation }, denominator: { filter: denominator, aggregation } }, unitOverride: "10^2.%" };
  return { timeSeriesQuery: query, plotType: "LINE", ...(legend ? { legendTemplate: legend } : {}) };
}

/** A series from a PromQL query (Managed Service for Prometheus metrics). */
export function promqlSeries(query: string, legend?: string): DataSet {
  return { timeSeriesQuery: { prometheusQuery: query }, plotType: "LINE", ...(legend ? { legendTemplate: legend } : {}) };
}

/** A line the chart draws across, red when crossing it is what an alert fires on. */
export function threshold(label: string, value: number, color: Threshold["color"] = "RED", direction: Threshold["direction"] = "ABOVE"): Threshold {
  return { label, value, color, direction };
}

export function chart(title: string, dataSets: readonly DataSet[], options: { thresholds?: readonly Threshold[]; yLabel?: string } = {}): Widget {
  return {
    title,
    xyChart: {
      dataSets,
      ...(options.thresholds?.length ? { thresholds: options.thresholds } : {}),
      ...(options.yLabel ? { yAxis: { label: options.yLabel, scale: "LINEAR" as const } } : {}),
      chartOptions: { mode: "COLOR" },
    },
  };
}

export function markdown(title: string, content: string): Widget {
  return { title, text: { content, format: "MARKDOWN" } };
}

export function section(title: string, subtitle?: string): Widget {
  return { title, sectionHeader: { ...(subtitle ? { subtitle } : {}), dividerBelow: true } };
}

/** A widget and the share of a row it takes. */
export interface Block {
  readonly widget: Widget;
  /** Columns out of 48. @default 24 (two per row) */
  readonly width?: number;
  /** @default 16 */
  readonly height?: number;
}

/**
 * Places blocks left to right, wrapping at 48 columns; a row is as tall as its tallest block.
 * Positions follow from order alone, so adding a chart never means recomputing coordinates.
 */
export function mosaic(blocks: readonly Block[]): Tile[] {
  const tiles: Tile[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const block of blocks) {
    const width = Math.min(block.width ?? 24, COLUMNS);
    const height = block.height ?? 16;
    if (x + width > COLUMNS) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    tiles.push({ xPos: x, yPos: y, width, height, widget: block.widget });
    x += width;
    rowHeight = Math.max(rowHeight, height);
  }
  return tiles;
}

/** The dashboard's JSON text: typed objects serialised once, keys in a stable order. */
export function dashboardJson(dashboard: Dashboard): string {
  return JSON.stringify(dashboard);
}
