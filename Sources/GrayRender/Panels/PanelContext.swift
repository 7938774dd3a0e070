import GrayCore

/// What every panel draws from: the model, the glyphs, and the derived facts several panels share.
struct PanelContext: Sendable {
    /// The model.
    let model: DashboardModel
    /// The glyphs.
    let glyphs: Glyphs

    /// The release state, if a poll round has arrived.
    var release: ReleaseState? { model.release }

    /// A reading older than this many seconds is drawn as stale.
    var staleAfter: Double { max(2, model.plan.interval * 3) }

    /// Seconds since `time`, if known.
    func age(_ time: Double?) -> Double? {
        time.map { max(0, model.now - $0) }
    }

    /// True when a reading taken at `time` is stale (or missing).
    func isStale(_ time: Double?) -> Bool {
        guard let age = age(time) else { return true }
        return age > staleAfter
    }

    /// `style`, dimmed when the reading at `time` is stale.
    func style(_ style: Style, readAt time: Double?) -> Style {
        isStale(time) ? style.dimmed : style
    }

    /// ` (12 s ago)` for a stale reading, empty for a fresh one.
    func staleSuffix(_ time: Double?) -> String {
        guard isStale(time) else { return "" }
        guard let age = age(time) else { return " (no data)" }
        return " (stale: \(TimeText.age(age)) ago)"
    }

    /// The state of the release in one or two words, and how to draw them.
    var stateLabel: (text: String, style: Style) {
        let plain = Style(.text, bold: true)
        guard let release else { return ("CONNECTING", plain) }
        if model.mode == .watch { return ("WATCHING", plain) }
        let good = Style(.gatePass, bold: true)
        let waiting = Style(.gateHold, bold: true)
        switch release.phase {
        case .rolledBack: return ("ROLLED BACK", Style(.alert, bold: true))
        case .rollingBack:
            return (release.rollbackFailure == nil ? "ROLLING BACK" : "ROLLBACK UNCONFIRMED", Style(.alert, bold: true))
        case .promoted: return ("PROMOTED", good)
        case .waiting, .progressing:
            if let pending = release.pending { return ("SETTING \(pending.weight)%", plain) }
            if release.paused { return ("PAUSED", waiting) }
            if release.holdReason != nil { return ("HOLDING", waiting) }
            return release.phase == .waiting ? ("WAITING", plain) : ("PROGRESSING", good)
        }
    }
}
