import Foundation
import GrayCore
import GrayProbe
import GrayRuntime
import Testing

/// The Istio VirtualService and Gateway API HTTPRoute providers. No Kubernetes API server runs
/// here: the HTTP conversation is tested against `Tests/interop/fake_kube_apiserver.py`, an
/// emulation that follows the API's documented semantics for this one resource (JSON patch,
/// resourceVersion conflicts, 401/403/404) — not a cluster. The exact patch grayctl sends is
/// checked with Debian's real `kubectl`, applied offline (`kubectl patch --local`) to the
/// manifests in `fixtures/kubernetes/`.
@Suite("Kubernetes routes: VirtualService and HTTPRoute", .serialized)
struct KubernetesRouterTests {
    static let fixtures = repositoryRoot.appendingPathComponent("fixtures/kubernetes")

    /// The cases: resource kind, fixture, destinations.
    static let routes: [(KubernetesRoute.Kind, String, RouterSides)] = [
        (.virtualService, "virtualservice.yaml", RouterSides(stable: "v1", canary: "v2")),
        (.httpRoute, "httproute.yaml", RouterSides(stable: "orders-v1", canary: "orders-v2")),
    ]

    /// Runs kubectl; its standard output, or its error.
    static func kubectl(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["kubectl"] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ProbeError.badResponse(url: "kubectl", reason: String(decoding: said, as: UTF8.self)) }
        return String(decoding: data, as: UTF8.self)
    }

    /// A fixture as the API server would answer it (JSON), through kubectl.
    static func object(_ fixture: String, patch: String = "[]") throws -> JSONValue {
        try JSONParser.parse(kubectl(["patch", "--local", "-f", fixtures.appendingPathComponent(fixture).path, "--type", "json", "-p", patch, "-o", "json"]))
    }

    @Test("grayctl's patch, applied by the real kubectl to the manifests, sets exactly the two weights", arguments: [0, 1])
    func kubectlApplies(index: Int) throws {
        let (kind, fixture, sides) = Self.routes[index]
        let route = try KubernetesRoute.locate(try Self.object(fixture), kind: kind, sides: sides)
        #expect(route.weights == SplitWeights(stable: 100, canary: 0))
        let patched = try Self.object(fixture, patch: route.patch(to: SplitWeights(percent: 5), guarded: true))
        let after = try KubernetesRoute.locate(patched, kind: kind, sides: sides)
        #expect(after.weights == SplitWeights(stable: 95, canary: 5))
        #expect(after.rule == route.rule && after.stable == route.stable && after.canary == route.canary)
        var swapped = route
        swapped.sides = RouterSides(stable: sides.canary, canary: sides.stable)
        #expect(throws: (any Error).self, "a destination that is not where it was read fails the patch's test") {
            try Self.object(fixture, patch: swapped.patch(to: SplitWeights(percent: 5), guarded: false))
        }
    }

    /// The emulated API server for `fixture`, and a kubeconfig pointing at it with `token`.
    static func server(_ fixture: String, token: String = "kube-secret") throws -> (Child, URL) {
        let (child, port) = try Child.start([
            "python3", repositoryRoot.appendingPathComponent("Tests/interop/fake_kube_apiserver.py").path,
            fixtures.appendingPathComponent(fixture).path, "kube-secret",
        ])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grayctl-kube-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let kubeconfig = folder.appendingPathComponent("config")
        try Data("""
            apiVersion: v1
            kind: Config
            current-context: test
            contexts: [{name: test, context: {cluster: emulated, user: grayctl, namespace: orders}}]
            clusters: [{name: emulated, cluster: {server: "http://127.0.0.1:\(port)"}}]
            users: [{name: grayctl, user: {token: \(token)}}]
            """.utf8).write(to: kubeconfig)
        return (child, kubeconfig)
    }

    static func router(_ index: Int, kubeconfig: URL, name: String = "orders") throws -> any TrafficRouter {
        let (kind, _, sides) = Self.routes[index]
        var settings = KubernetesRouteSettings(kind: kind, name: name, destinations: sides)
        settings.kubeconfig = kubeconfig.path
        return try RouterProvider.router(for: .kubernetes(settings), token: nil, tls: ProbeTLS())
    }

    @Test("read, a guarded write read back, another operator's edit refused as a conflict, a rollback still sent", arguments: [0, 1])
    func conversation(index: Int) async throws {
        let (_, fixture, _) = Self.routes[index]
        let (server, kubeconfig) = try Self.server(fixture)
        defer { server.stop() }
        let router = try Self.router(index, kubeconfig: kubeconfig)
        let first = await router.read()
        guard case .weight(0, let version?) = first else {
            Issue.record("expected 0% with a resourceVersion: \(first)")
            return
        }
        try await router.set(5, expecting: version, by: "test")
        guard case .weight(5, let next?) = await router.read(), next != version else {
            Issue.record("5% not read back with a new resourceVersion")
            return
        }
        try server.input.fileHandleForWriting.write(contentsOf: Data("edit\n".utf8))
        try await Task.sleep(for: .milliseconds(200))
        do {
            try await router.set(10, expecting: next, by: "test")
            Issue.record("a write over another operator's edit went through")
        } catch {
            guard case .conflict(let message) = error else {
                Issue.record("expected a conflict: \(error)")
                return
            }
            #expect(message.contains("changed since it was read"), "\(message)")
        }
        #expect(await router.read().failureMessage == nil)
        guard case .weight(33, _) = await router.read() else {
            Issue.record("the other operator's 33% stands")
            return
        }
        guard case .weight(33, let edited?) = await router.read() else { return }
        try server.input.fileHandleForWriting.write(contentsOf: Data("race\n".utf8))
        try await Task.sleep(for: .milliseconds(200))
        do {
            try await router.set(40, expecting: edited, by: "test")
            Issue.record("a patch over a version changed between read and write went through")
        } catch {
            #expect(error == .conflict("\(Self.routes[index].0.title) orders changed meanwhile (HTTP 409 on resourceVersion \(edited))"), "the API server's 409: \(error)")
        }
        try server.input.fileHandleForWriting.write(contentsOf: Data("swap\n".utf8))
        try await Task.sleep(for: .milliseconds(200))
        do {
            try await router.set(0, expecting: nil, by: "test")
            Issue.record("a patch naming destinations that moved went through")
        } catch {
            #expect(error.description.contains("refused the patch (HTTP 422; edited meanwhile, or rejected by the API server): testing value"), "\(error)")
        }
        try await router.set(0, expecting: nil, by: "test")
        guard case .weight(0, _) = await router.read() else {
            Issue.record("the rollback was not read back")
            return
        }
    }

    @Test("write access by a server-side dry run: granted, nothing stored; a user who may get but not patch is refused", arguments: [0, 1])
    func dryRun(index: Int) async throws {
        let (_, fixture, _) = Self.routes[index]
        let (server, kubeconfig) = try Self.server(fixture)
        defer { server.stop() }
        let router = try Self.router(index, kubeconfig: kubeconfig)
        let before = await router.read()
        let access = await router.writeAccess()
        #expect(access == .granted("the API server accepted a dry-run patch of \(Self.routes[index].0.title) orders (?dryRun=All: nothing stored)"))
        #expect(await router.read() == before, "a dry run stores nothing: same weight, same resourceVersion")
        let text = try String(contentsOf: kubeconfig, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "token: kube-secret", with: "token: kube-secret-readonly").utf8).write(to: kubeconfig)
        let reader = try Self.router(index, kubeconfig: kubeconfig)
        #expect(await reader.read() == before, "the read-only user reads")
        guard case .refused(let said) = await reader.writeAccess() else {
            Issue.record("a user who may not patch was not refused")
            return
        }
        #expect(said.contains("HTTP 403 from the API server"), "\(said)")
        #expect(!said.contains("kube-secret"))
    }

    @Test("refused credentials, a forbidden user and a missing route say what to fix; the token appears nowhere")
    func refusals() async throws {
        let (server, kubeconfig) = try Self.server("virtualservice.yaml", token: "wrong-secret")
        defer { server.stop() }
        let forbidden = await (try Self.router(0, kubeconfig: kubeconfig)).read()
        #expect(forbidden.failureMessage?.contains("HTTP 403 from the API server: the user may not use virtualservices.networking.istio.io here (grant get and patch in its namespace with RBAC)") == true, "\(forbidden)")
        #expect(forbidden.failureMessage?.contains("wrong-secret") == false)
        let text = try String(contentsOf: kubeconfig, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "token: wrong-secret}", with: "token: [wrong-secret}").utf8).write(to: kubeconfig)
        #expect(throws: (any Error).self) { try Self.router(0, kubeconfig: kubeconfig) }
        do {
            _ = try Self.router(0, kubeconfig: kubeconfig)
        } catch {
            #expect("\(error)" == "kubeconfig: not valid YAML", "no line of the file is repeated: \(error)")
        }
        FileManager.default.createFile(atPath: kubeconfig.deletingLastPathComponent().appendingPathComponent("empty-token").path, contents: Data())
        try Data(text.replacingOccurrences(of: "user: {token: wrong-secret}", with: "user: {tokenFile: empty-token}").utf8).write(to: kubeconfig)
        let unauthorized = await (try Self.router(0, kubeconfig: kubeconfig)).read()
        #expect(unauthorized.failureMessage?.contains("HTTP 401 from the API server: the credentials were refused") == true, "\(unauthorized)")
        try Data(text.replacingOccurrences(of: "user: {token: wrong-secret}", with: "user: {tokenFile: /nonexistent/token}").utf8).write(to: kubeconfig)
        let unreadable = await (try Self.router(0, kubeconfig: kubeconfig)).read()
        #expect(unreadable.failureMessage?.contains("cannot read the token file /nonexistent/token") == true, "\(unreadable)")
        try Data(text.replacingOccurrences(of: "wrong-secret", with: "kube-secret").utf8).write(to: kubeconfig)
        let missing = await (try Self.router(0, kubeconfig: kubeconfig, name: "payments")).read()
        #expect(missing.failureMessage?.contains("HTTP 404: VirtualService payments not found (check name and namespace") == true, "\(missing)")
    }

    /// Throwaway certificates (`scripts/make-test-certs.sh`): a CA, a server certificate for
    /// 127.0.0.1, a client certificate (CN "client").
    static func certificates() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grayctl-kube-certs-\(UInt32.random(in: 0...UInt32.max))")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [repositoryRoot.appendingPathComponent("scripts/make-test-certs.sh").path, folder.path]
        try process.run()
        process.waitUntilExit()
        return folder
    }

    @Test("HTTPS to the API server with the CA and a client certificate inline in the kubeconfig (…-data); a server signed by another CA is refused")
    func tls() async throws {
        let certificates = try Self.certificates()
        let other = try Self.certificates()
        let file = { (name: String) in certificates.appendingPathComponent(name).path }
        let (server, port) = try Child.start([
            "python3", repositoryRoot.appendingPathComponent("Tests/interop/fake_kube_apiserver.py").path,
            Self.fixtures.appendingPathComponent("httproute.yaml").path, "kube-secret", file("server.pem"), file("server.key"), file("ca.pem"),
        ])
        defer { server.stop() }
        let inline = { (path: String) in try Data(contentsOf: URL(fileURLWithPath: path)).base64EncodedString() }
        let kubeconfig = { (ca: String) in
            """
            apiVersion: v1
            kind: Config
            current-context: tls
            contexts: [{name: tls, context: {cluster: emulated, user: x509, namespace: orders}}]
            clusters: [{name: emulated, cluster: {server: "https://127.0.0.1:\(port)", certificate-authority-data: \(try inline(ca))}}]
            users: [{name: x509, user: {client-certificate-data: \(try inline(file("client.pem"))), client-key-data: \(try inline(file("client.key")))}}]
            """
        }
        let path = certificates.appendingPathComponent("kubeconfig")
        try Data(try kubeconfig(file("ca.pem")).utf8).write(to: path)
        let router = try Self.router(1, kubeconfig: path)
        guard case .weight(0, let version?) = await router.read() else {
            Issue.record("no reading over TLS with the client certificate")
            return
        }
        try await router.set(5, expecting: version, by: "test")
        guard case .weight(5, _) = await router.read() else {
            Issue.record("5% not read back over TLS")
            return
        }
        try Data(try kubeconfig(other.appendingPathComponent("ca.pem").path).utf8).write(to: path)
        let refused = await (try Self.router(1, kubeconfig: path)).read()
        #expect(refused.failureMessage?.contains("curl error 60") == true, "a server the configured CA did not sign: \(refused)")
    }

    @Test("in a pod: the service account's token, CA and namespace, the API server from the environment; no credentials at all is said")
    func inCluster() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grayctl-sa-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in [("token", "sa-token"), ("ca.crt", "CA"), ("namespace", "orders\n")] {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
        let settings = KubernetesRouteSettings(kind: .httpRoute, name: "orders")
        let environment = ["HOME": folder.path, "KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        let (access, namespace) = try KubernetesRouter.access(for: settings, environment: environment, serviceAccount: folder.path)
        #expect(access.server == "https://10.96.0.1:443" && namespace == "orders")
        #expect(access.token == .file(folder.appendingPathComponent("token").path) && access.certificateAuthority == .file(folder.appendingPathComponent("ca.crt").path))
        #expect(throws: KubeConfigError.missing("a kubeconfig (targets.router.kubeconfig, $KUBECONFIG or ~/.kube/config) or an in-cluster service account")) {
            try KubernetesRouter.access(for: settings, environment: ["HOME": folder.path], serviceAccount: folder.path)
        }
    }
}
