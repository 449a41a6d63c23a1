import Metrics

/// The swift-metrics a `ViewReader` reports for one view, so the application's own metrics
/// backend (swift-prometheus, swift-otel, StatsD...) receives them without code of its own.
///
/// The labels follow Prometheus' naming rules because that is the backend most applications
/// bootstrap, and swift-prometheus uses a label unchanged as the metric name: a base unit as
/// suffix (`_seconds`), `_total` on counters. Durations are a `Timer` (nanoseconds in
/// swift-metrics; swift-prometheus exports a timer as a histogram in seconds, hence the suffix),
/// also marked with `.seconds` as the preferred display unit for backends that honour it.
///
/// Every metric has one dimension, `view`: the view's name without its schema. That is the name
/// the specs, the logs (`matview.view`) and `matview status` use, and it identifies a view on its
/// own because the checker rejects two views of a project with the same name in different schemas.
public struct ReadMetrics {
    /// A `Timer`: how long each successful read took, fallback included.
    public static let durationLabel = "matview_read_duration_seconds"
    /// A `Recorder` (aggregated: a histogram): the rows each successful read returned.
    public static let rowsLabel = "matview_read_rows"
    /// A `Counter`: successful reads slower than the view's `slow_query_ms`.
    public static let slowReadsLabel = "matview_slow_reads_total"
    /// A `Counter`: reads that found the view missing and ran its defining query instead.
    public static let fallbacksLabel = "matview_read_fallbacks_total"
    /// A `Counter`: reads that threw (a failed query, a failed fallback, a row that did not decode).
    public static let errorsLabel = "matview_read_errors_total"
    /// The dimension naming the view.
    public static let viewDimension = "view"

    let duration: Metrics.Timer
    let rows: Recorder
    let slowReads: Counter
    let fallbacks: Counter
    let errors: Counter

    /// All five are made on every read, even those that only one read in a thousand increments:
    /// a counter then exists at 0 from the first read, so `rate()` and alerts see the series
    /// before the first slow read or failure. Factories hand back the same handler for the
    /// same label and dimensions, so making them again per read costs a dictionary lookup and
    /// needs no cache of our own.
    init(view: ViewDescriptor, factory: any MetricsFactory) {
        let dimensions = [(Self.viewDimension, view.name)]
        duration = Metrics.Timer(label: Self.durationLabel, dimensions: dimensions, preferredDisplayUnit: .seconds, factory: factory)
        rows = Recorder(label: Self.rowsLabel, dimensions: dimensions, aggregate: true, factory: factory)
        slowReads = Counter(label: Self.slowReadsLabel, dimensions: dimensions, factory: factory)
        fallbacks = Counter(label: Self.fallbacksLabel, dimensions: dimensions, factory: factory)
        errors = Counter(label: Self.errorsLabel, dimensions: dimensions, factory: factory)
    }
}
