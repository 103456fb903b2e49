import Metrics
import Prometheus

/// Bootstraps swift-metrics with a Prometheus registry once per process; `GET /metrics` renders it.
enum MetricsSetup {
    static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }
}
