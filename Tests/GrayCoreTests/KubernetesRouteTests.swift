import Foundation
import GrayCore
import Testing

/// The pure parts of the Kubernetes routers: a route object's two destinations and the JSON patch
/// that sets them, and a kubeconfig's context.
@Suite("Kubernetes route objects and kubeconfig")
struct KubernetesRouteTests {
    static let virtualService = #"""
        {"metadata":{"name":"orders","resourceVersion":"7"},"spec":{"http":[
          {"route":[{"destination":{"host":"debug.svc"}}]},
          {"route":[{"destination":{"host":"orders.svc","subset":"v1"},"weight":90},{"destination":{"host":"orders.svc","subset":"v2"},"weight":10}]}]}}
        """#

    @Test("the first rule with both destinations; weights, indices and resourceVersion")
    func locates() throws {
        let route = try KubernetesRoute.locate(try JSONParser.parse(Self.virtualService), kind: .virtualService, sides: RouterSides(stable: "v1", canary: "v2"))
        #expect(route.rule == 1 && route.stable.index == 0 && route.canary.index == 1 && route.resourceVersion == "7")
        #expect(route.weights.percent == 10 && route.stable.namePath == "/destination/subset")
        let byHost = try KubernetesRoute.locate(
            try JSONParser.parse(#"{"metadata":{"resourceVersion":"1"},"spec":{"http":[{"route":[{"destination":{"host":"a"},"weight":100},{"destination":{"host":"b"}}]}]}}"#),
            kind: .virtualService, sides: RouterSides(stable: "a", canary: "b"))
        #expect(byHost.weights == SplitWeights(stable: 100, canary: 0) && byHost.canary.namePath == "/destination/host")
        let route2 = try KubernetesRoute.locate(
            try JSONParser.parse(#"{"metadata":{"resourceVersion":"3"},"spec":{"rules":[{"backendRefs":[{"name":"s"},{"name":"c"}]}]}}"#),
            kind: .httpRoute, sides: RouterSides(stable: "s", canary: "c"))
        #expect(route2.weights == SplitWeights(stable: 1, canary: 1), "a backendRef without weight weighs 1")
    }

    @Test("a rule without both destinations, one with a third that gets traffic, or another rule reaching the canary is an error naming it")
    func refusals() throws {
        let object = try JSONParser.parse(Self.virtualService)
        #expect(throws: KubernetesRoute.LocateError.destinationsMissing(
            "no spec.http[] entry has both destinations v1 and v3 (a subset, else a host)")) {
            try KubernetesRoute.locate(object, kind: .virtualService, sides: RouterSides(stable: "v1", canary: "v3"))
        }
        let three = try JSONParser.parse(#"{"metadata":{"resourceVersion":"1"},"spec":{"rules":[{"backendRefs":[{"name":"s","weight":50},{"name":"c","weight":0},{"name":"x","weight":50}]}]}}"#)
        #expect(throws: KubernetesRoute.LocateError.otherDestinations(
            "spec.rules[0] also sends traffic to x: grayctl splits between s and c only")) {
            try KubernetesRoute.locate(three, kind: .httpRoute, sides: RouterSides(stable: "s", canary: "c"))
        }
        #expect(throws: KubernetesRoute.LocateError.self) { try KubernetesRoute.locate(.object([:]), kind: .httpRoute, sides: RouterSides()) }
        let header = try JSONParser.parse(Self.virtualService.replacingOccurrences(of: #""host":"debug.svc""#, with: #""host":"orders.svc","subset":"v2""#))
        #expect(throws: KubernetesRoute.LocateError.otherDestinations(
            "spec.http[0] also sends traffic to the canary v2, outside spec.http[1]'s split: grayctl's weight would not be its share")) {
            try KubernetesRoute.locate(header, kind: .virtualService, sides: RouterSides(stable: "v1", canary: "v2"))
        }
    }

    @Test("the patch: resourceVersion guard when asked, names tested, the rising side first")
    func patch() throws {
        let route = try KubernetesRoute.locate(try JSONParser.parse(Self.virtualService), kind: .virtualService, sides: RouterSides(stable: "v1", canary: "v2"))
        #expect(route.patch(to: SplitWeights(percent: 0), guarded: false) == #"[{"op":"test","path":"/spec/http/1/route/0/destination/subset","value":"v1"},"#
            + #"{"op":"test","path":"/spec/http/1/route/1/destination/subset","value":"v2"},"#
            + #"{"op":"add","path":"/spec/http/1/route/0/weight","value":100},{"op":"add","path":"/spec/http/1/route/1/weight","value":0}]"#)
        #expect(route.patch(to: SplitWeights(percent: 25), guarded: true).hasPrefix(
            #"[{"op":"replace","path":"/metadata/resourceVersion","value":"7"},"#))
        #expect(route.patch(to: SplitWeights(percent: 25), guarded: true).hasSuffix(
            #"{"op":"add","path":"/spec/http/1/route/1/weight","value":25},{"op":"add","path":"/spec/http/1/route/0/weight","value":75}]"#))
    }

    static let kubeconfig = """
        apiVersion: v1
        kind: Config
        current-context: prod
        contexts:
          - {name: prod, context: {cluster: c1, user: u1, namespace: orders}}
          - {name: plugin, context: {cluster: c1, user: u2}}
          - {name: loose, context: {cluster: c2, user: u1}}
          - {name: clear, context: {cluster: c3, user: u1}}
          - {name: proxy, context: {cluster: c4, user: u1}}
        clusters:
          - {name: c1, cluster: {server: "https://10.0.0.1:6443", certificate-authority-data: "LS0tLS1CRUdJTg=="}}
          - {name: c2, cluster: {server: "https://10.0.0.2:6443", insecure-skip-tls-verify: true}}
          - {name: c3, cluster: {server: "http://10.0.0.3:8080"}}
          - {name: c4, cluster: {server: "http://127.0.0.1:8001"}}
        users:
          - {name: u1, user: {tokenFile: token, client-certificate: /etc/c.pem, client-key: k.pem}}
          - {name: u2, user: {exec: {command: aws}}}
        """

    @Test("a kubeconfig context: server, namespace, CA data, token file and certificate paths relative to the file")
    func kubeconfig() throws {
        let access = try KubeConfig.access(Self.kubeconfig, context: nil, directory: "/home/ana/.kube")
        #expect(access.server == "https://10.0.0.1:6443" && access.namespace == "orders")
        #expect(access.certificateAuthority == .data(Array("-----BEGIN".utf8)))
        #expect(access.token == .file("/home/ana/.kube/token") && access.clientCertificate == .file("/etc/c.pem") && access.clientKey == .file("/home/ana/.kube/k.pem"))
        #expect(try KubeConfig.access(Self.kubeconfig, context: "proxy", directory: "/").server == "http://127.0.0.1:8001", "kubectl proxy on loopback")
    }

    @Test("what grayctl will not do with a kubeconfig is said, naming the key", arguments: [
        ("plugin", "kubeconfig: users[u2].user.exec: grayctl runs no credential plugins: give a token, tokenFile or a client certificate (a service account token works)"),
        ("loose", "kubeconfig: clusters[c2].cluster.insecure-skip-tls-verify: grayctl always verifies the API server: give certificate-authority or certificate-authority-data"),
        ("none", "kubeconfig: contexts[none] is missing"),
        ("clear", "kubeconfig: clusters[c3].cluster.server: http:// would send the credentials in clear: use https://, or http:// to a loopback address only (kubectl proxy)"),
    ])
    func kubeconfigRefusals(context: String, message: String) {
        #expect(throws: (any Error).self) { try KubeConfig.access(Self.kubeconfig, context: context, directory: "/") }
        do {
            _ = try KubeConfig.access(Self.kubeconfig, context: context, directory: "/")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("a kubeconfig whose mapping key is not a string is refused, not a trap (Yams' constructor force-unwraps such keys; found by fuzzing)", arguments: [
        "? [a, b]\n: c\n", "current-context: x\n{k: v}: 1\n", "clusters:\n- ? {name: c}\n  : 1\n",
    ])
    func kubeconfigNonScalarKey(text: String) {
        #expect(throws: KubeConfigError.unreadable("a mapping key that is not a string")) {
            try KubeConfig.access(text, context: nil, directory: "/")
        }
    }

    @Test("the input the fuzzer found crashing the kubeconfig reader is an error now", arguments: ["crash-yams-non-scalar-key"])
    func fuzzRegression(name: String) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/fuzz/FuzzConfig/\(name)").path
        let text = String(decoding: try #require(FileManager.default.contents(atPath: path)), as: UTF8.self)
        #expect(throws: KubeConfigError.self) { try KubeConfig.access(text, context: nil, directory: "/") }
        _ = try? ConfigLoader.load(text)
    }

    @Test("split weights: shares never rounded to an end while both sides have weight; the rising side written first, never both at 0")
    func splitWeights() {
        #expect(SplitWeights(stable: 999, canary: 1).percent == 1 && SplitWeights(stable: 1, canary: 999).percent == 99)
        #expect(SplitWeights(stable: 0, canary: 0).percent == nil && SplitWeights(stable: 90, canary: 30).percent == 25)
        #expect(!SplitWeights(percent: 0).canaryFirst(from: SplitWeights(percent: 100)), "100 → 0: stable up first, then canary down")
        #expect(SplitWeights(percent: 100).canaryFirst(from: SplitWeights(percent: 0)), "0 → 100: canary up first")
        #expect(!SplitWeights(percent: 0).canaryFirst(from: nil) && SplitWeights(percent: 100).canaryFirst(from: nil))
        #expect(SplitWeights(stable: 95, canary: 5).reading(nowhere: "x") == .weight(5, generation: "stable=95 canary=5"))
        #expect(SplitWeights(stable: 0, canary: 0).reading(nowhere: "routes nothing") == .error(.router, endpoint: "weight", message: "routes nothing"))
    }
}
