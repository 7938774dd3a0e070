import GrayCore
import Testing

@Suite("Exact confidence bound of the judge")
struct ClopperPearsonBoundTests {
    @Test("lower bounds match scipy.stats.beta.ppf(1 - c, k, n - k + 1)", arguments: [
        (5.0, 100.0, 0.95, 0.019905563662171843), (1, 3, 0.99, 0.0033445065874036393),
        (20, 412, 0.9999, 0.018320937571061544), (7, 100, 0.999, 0.015555283659518648),
        (50, 1000, 0.9, 0.04134272476676602),
    ])
    func lower(failures: Double, trials: Double, confidence: Double, expected: Double) {
        let bound = ClopperPearsonBound(confidence: confidence)
        #expect(abs(bound.lower(failures, of: trials) - expected) < 1e-6)
        #expect(bound.exceeds(expected * 0.99, failures: failures, of: trials))
        #expect(!bound.exceeds(expected * 1.01, failures: failures, of: trials))
    }

    @Test("no failures or no requests: nothing is exceeded")
    func empty() {
        let bound = ClopperPearsonBound(confidence: 0.99)
        #expect(bound.lower(0, of: 500) == 0)
        #expect(!bound.exceeds(0.01, failures: 0, of: 500))
        #expect(!bound.exceeds(0.01, failures: 3, of: 0))
    }

    @Test("a handful of failures in a small sample is not significant, the same ratio in a large one is")
    func sampleSize() {
        let bound = ClopperPearsonBound(confidence: 0.9999)
        #expect(!bound.exceeds(0.01, failures: 2, of: 50))
        #expect(bound.exceeds(0.01, failures: 200, of: 5000))
    }
}
