public import GrayCore
public import GrayProbe

/// The traffic router for an engine configuration (`targets.router.kind`): one provider per kind.
public enum RouterProvider {
    /// The provider of `engine`; `token` authenticates the reference gateway (the Kubernetes API's
    /// credentials come from a kubeconfig or the service account, found in `environment`; Envoy's
    /// and HAProxy's admin interfaces take none), `tls` and `timeout` apply to the HTTP engines.
    public static func router(
        for engine: RouterEngine, token: String?, tls: ProbeTLS, timeout: Double = 1, environment: [String: String] = [:]
    ) throws(KubeConfigError) -> any TrafficRouter {
        switch engine {
        case .gateway(let admin):
            GatewayRouter(baseURL: admin, token: token, tls: tls, timeout: timeout)
        case .envoy(let admin, let prefix, let clusters):
            EnvoyRouter(admin: admin, runtimePrefix: prefix, clusters: clusters, tls: tls, timeout: timeout)
        case .haproxy(let socket, let backend, let servers):
            HAProxyRouter(socket: CommandSocket(address: socket, timeout: timeout), backend: backend, servers: servers)
        case .kubernetes(let settings):
            try kubernetes(settings, timeout: timeout, environment: environment)
        }
    }

    private static func kubernetes(_ settings: KubernetesRouteSettings, timeout: Double, environment: [String: String]) throws(KubeConfigError) -> any TrafficRouter {
        let (access, namespace) = try KubernetesRouter.access(for: settings, environment: environment)
        return try KubernetesRouter(settings: settings, access: access, namespace: namespace, timeout: timeout)
    }
}
