import CCurlShim
import CNcursesw
import Testing

/// The system libraries grayctl links are installed with the features it needs (scripts/setup.sh).
@Suite("System libraries: libcurl with HTTP/2 and TLS, ncursesw")
struct SystemLibraryTests {
    @Test("libcurl supports HTTP/2 (gRPC health over h2c and TLS) and TLS")
    func curlFeatures() {
        #expect(grayctl_curl_has_http2() == 1)
        #expect(grayctl_curl_has_ssl() == 1)
    }

    @Test("an easy handle takes options through the typed setopt shim")
    func curlSetopt() throws {
        let handle = try #require(curl_easy_init())
        defer { curl_easy_cleanup(handle) }
        #expect(grayctl_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE) == CURLE_OK)
        #expect(grayctl_easy_setopt_string(handle, CURLOPT_URL, "http://127.0.0.1:1/") == CURLE_OK)
    }

    @Test("ncursesw is the wide-character build, version 6 or later")
    func ncursesVersion() throws {
        let version = String(cString: try #require(curses_version()))
        #expect(version.hasPrefix("ncurses 6"))
        #expect(grayctl_color_pair(3) == 3 << 8)
    }
}
