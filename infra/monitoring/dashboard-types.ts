/**
 * The subset of Cloud Monitoring's dashboard JSON the stack dashboard uses, typed so that a
 * misspelt field or enum fails `tsc` rather than `pulumi up`. Field names and enums follow the
 * v1 API reference: https://cloud.google.com/monitoring/api/ref_v3/rest/v1/projects.dashboards
 * (Dashboard, MosaicLayout, Widget, XyChart, TimeSeriesQuery, Threshold, Text).
 */

export type Aligner = "ALIGN_DELTA" | "ALIGN_RATE" | "ALIGN_MEAN" | "ALIGN_MAX" | "ALIGN_MIN" | "ALIGN_SUM";
export type Reducer = "REDUCE_SUM" | "REDUCE_MEAN" | "REDUCE_MAX" | "REDUCE_MIN" | "REDUCE_PERCENTILE_99" | "REDUCE_PERCENTILE_50";

export interface Aggregation {
  /** A duration such as "60s". */
  readonly alignmentPeriod: string;
  readonly perSeriesAligner: Aligner;
  readonly crossSeriesReducer?: Reducer;
  readonly groupByFields?: readonly string[];
}

export interface TimeSeriesFilter {
  readonly filter: string;
  readonly aggregation?: Aggregation;
}

export interface TimeSeriesFilterRatio {
  readonly numerator: TimeSeriesFilter;
  readonly denominator: TimeSeriesFilter;
}

/** Exactly one of the query kinds. */
export type TimeSeriesQuery =
  | { readonly timeSeriesFilter: TimeSeriesFilter; readonly unitOverride?: string }
  | { readonly timeSeriesFilterRatio: TimeSeriesFilterRatio; readonly unitOverride?: string }
  | { readonly prometheusQuery: string; readonly unitOverride?: string };

export type PlotType = "LINE" | "STACKED_AREA" | "STACKED_BAR";

export interface DataSet {
  readonly timeSeriesQuery: TimeSeriesQuery;
  readonly plotType: PlotType;
  /** e.g. `${metric.labels.deployed_model_id}`. */
  readonly legendTemplate?: string;
  readonly minAlignmentPeriod?: string;
  readonly targetAxis?: "Y1" | "Y2";
}

export interface Threshold {
  readonly label: string;
  readonly value: number;
  readonly color: "YELLOW" | "RED";
  readonly direction: "ABOVE" | "BELOW";
  readonly targetAxis?: "Y1" | "Y2";
}

export interface XyChart {
  readonly dataSets: readonly DataSet[];
  readonly thresholds?: readonly Threshold[];
  readonly yAxis?: { readonly label: string; readonly scale: "LINEAR" | "LOG10" };
  readonly chartOptions?: { readonly mode: "COLOR" | "X_RAY" | "STATS" };
}

export interface Text {
  readonly content: string;
  readonly format: "MARKDOWN" | "RAW";
}

export interface SectionHeader {
  readonly subtitle?: string;
  readonly dividerBelow: boolean;
}

/** A widget holds exactly one kind of content. */
export type Widget = { readonly title: string } & (
  | { readonly xyChart: XyChart }
  | { readonly text: Text }
  | { readonly sectionHeader: SectionHeader }
);

export interface Tile {
  readonly xPos: number;
  readonly yPos: number;
  readonly width: number;
  readonly height: number;
  readonly widget: Widget;
}

export interface Dashboard {
  readonly displayName: string;
  readonly mosaicLayout: { readonly columns: number; readonly tiles: readonly Tile[] };
  readonly labels?: Readonly<Record<string, string>>;
}
