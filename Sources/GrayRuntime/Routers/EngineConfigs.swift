/// Configurations that put a real engine in front of the reference fleet on loopback, gRPC over
/// h2c, the canary at weight 0: what `grayctl demo --router envoy|haproxy` and the engine tests
/// run, and a starting point for a user's own (docs/endpoints.md shows the keys grayctl needs).
public enum EngineConfigs {
    /// HAProxy: a frontend on `front` (`host:port`), backend `orders` with servers `stable` and
    /// `canary` at `stable` and `canary` (`host:port`), the runtime API at `socket` (`host:port`).
    public static func haproxy(front: String, socket: String, stable: String, canary: String) -> String {
        """
        global
          stats socket ipv4@\(socket) level admin
        defaults
          mode http
          timeout connect 2s
          timeout client 30s
          timeout server 30s
        frontend grpc
          bind \(front) proto h2
          default_backend orders
        backend orders
          balance roundrobin
          server stable \(stable) proto h2 weight 100
          server canary \(canary) proto h2 weight 0

        """
    }

    /// Envoy (YAML): a listener on `front`, a route whose weighted clusters `stable` and `canary`
    /// (each balancing its instances' `host:port` addresses) take their weights from runtime keys
    /// `routes.orders.stable` and `routes.orders.canary`, the admin API on `admin` (`host:port`).
    /// The `grpc_stats` filter counts each cluster's calls by gRPC status, and a stats tag makes the
    /// status a label: `envoy_cluster_grpc{envoy_cluster_name="canary",grpc_status="14"}` — with
    /// `envoy_cluster_upstream_rq_time` (milliseconds), what grayctl can read as the router's series
    /// (``routerMetricNames``). `stats_flush_on_admin` makes each `/stats/prometheus` read current
    /// (histograms are otherwise refreshed at the stats flush, every 5 s by default).
    public static func envoy(front: String, admin: String, stable: [String], canary: [String]) -> String {
        func address(_ text: String) -> String {
            let parts = text.split(separator: ":")
            return "{socket_address: {address: \(parts.dropLast().joined(separator: ":")), port_value: \(parts.last ?? "0")}}"
        }
        func cluster(_ name: String, _ addresses: [String]) -> String {
            let http2 = #"{envoy.extensions.upstreams.http.v3.HttpProtocolOptions: {"@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions, explicit_http_config: {http2_protocol_options: {}}}}"#
            let endpoints = addresses.map { "{endpoint: {address: \(address($0))}}" }.joined(separator: ", ")
            return "- {name: \(name), type: STATIC, typed_extension_protocol_options: \(http2), "
                + "load_assignment: {cluster_name: \(name), endpoints: [{lb_endpoints: [\(endpoints)]}]}}"
        }
        return """
            admin:
              address: \(address(admin))
            stats_flush_on_admin: true
            stats_config:
              stats_tags:
                - {tag_name: grpc_status, regex: '^cluster\\.(?:[^.]+\\.)grpc\\.((\\d+))$'}
            layered_runtime:
              layers:
                - {name: static, static_layer: {}}
                - {name: admin, admin_layer: {}}
            static_resources:
              listeners:
                - name: grpc
                  address: \(address(front))
                  filter_chains:
                    - filters:
                        - name: envoy.filters.network.http_connection_manager
                          typed_config:
                            "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                            stat_prefix: grpc
                            codec_type: HTTP2
                            route_config:
                              virtual_hosts:
                                - name: orders
                                  domains: ["*"]
                                  routes:
                                    - match: {prefix: "/"}
                                      route:
                                        weighted_clusters:
                                          runtime_key_prefix: routes.orders
                                          clusters: [{name: stable, weight: 100}, {name: canary, weight: 0}]
                            http_filters:
                              - name: envoy.filters.http.grpc_stats
                                typed_config:
                                  "@type": type.googleapis.com/envoy.extensions.filters.http.grpc_stats.v3.FilterConfig
                                  stats_for_all_methods: false
                              - name: envoy.filters.http.router
                                typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}
              clusters:
                \(cluster("stable", stable))
                \(cluster("canary", canary))

            """
    }

    /// `metrics:` for reading the router's series from Envoy configured as ``envoy(front:admin:stable:canary:)``
    /// (with `targets.router.metrics: <admin>/stats/prometheus`).
    public static let routerMetricNames = """
        {client_handled: envoy_cluster_grpc, code_label: grpc_status, upstream_label: envoy_cluster_name, client_latency: envoy_cluster_upstream_rq_time, client_latency_unit: milliseconds}
        """
}
