import Foundation

/// An exclusive lock per router, so two grayctl processes never drive the same router: a file in
/// the temporary directory named after the router's URL, held with `flock` for the life of the
/// process (the kernel drops it if the process dies).
public final class RouterLock: Sendable {
    private let descriptor: Int32
    /// The lock file.
    public let path: String

    /// Why the lock was not taken.
    public struct Busy: Error, CustomStringConvertible {
        /// Says who holds it.
        public let description: String
    }

    /// Takes the lock for `routerURL`, or throws ``Busy`` naming the holder.
    public init(routerURL: String) throws {
        path = RouterPaths.lock(routerURL)
        descriptor = open(path, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else { throw Busy(description: "cannot open lock file \(path)") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            close(descriptor)
            throw Busy(description: "another grayctl (pid \(holder)) is driving \(routerURL) (lock \(path))")
        }
        ftruncate(descriptor, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
