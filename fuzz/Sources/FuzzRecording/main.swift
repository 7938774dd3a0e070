import GrayCore

/// The recording reader on any bytes; a recording it accepts is replayed through the decision
/// engine with the default plan and gates.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecording(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: count)
    guard let recording = try? RecordingReader.read(bytes: bytes) else { return 0 }
    _ = ReplayRunner.run(recording, config: GrayConfig())
    return 0
}
