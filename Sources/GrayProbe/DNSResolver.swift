import Dispatch
import Glibc

/// Resolves a name to its A and AAAA addresses with the system resolver (`getaddrinfo`: DNS and
/// `/etc/hosts`, as every other program on the machine sees them), off the caller's executor.
/// When a name has both, only the IPv4 addresses are kept: a dual-stack pod has one of each, and
/// counting both would count it twice.
public enum DNSResolver {
    /// Every distinct address of `name` — the IPv4 ones when there are any, else the IPv6 ones —
    /// sorted (IPv4 dotted, IPv6 without brackets).
    public static func addresses(of name: String) async throws(ProbeError) -> [String] {
        let result: Result<[String], ProbeError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: resolve(name))
            }
        }
        return try result.get()
    }

    private static func resolve(_ name: String) -> Result<[String], ProbeError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(name, nil, &hints, &list)
        guard status == 0 else {
            return .failure(.unresolved(name: name, reason: String(cString: gai_strerror(status))))
        }
        defer { freeaddrinfo(list) }
        var addresses: Set<String> = []
        var entry = list
        while let info = entry?.pointee {
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if let address = info.ai_addr,
                getnameinfo(address, info.ai_addrlen, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0
            {
                addresses.insert(String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            entry = info.ai_next
        }
        let ipv4 = addresses.filter { !$0.contains(":") }
        return .success((ipv4.isEmpty ? addresses : ipv4).sorted())
    }
}
