import GrayCore

/// The config loader and the kubeconfig reader on any text (YAML through Yams and libyaml).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    _ = try? ConfigLoader.load(text)
    _ = try? KubeConfig.access(text, context: nil, directory: "/nonexistent")
    return 0
}
