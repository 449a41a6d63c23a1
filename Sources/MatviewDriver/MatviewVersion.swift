/// The version of matview, as `matview --version` and the SARIF log's `tool.driver.version` give
/// it. One constant, so every place that names the version names the same one.
public enum MatviewVersion {
    public static let current = "1.1.0"
}
