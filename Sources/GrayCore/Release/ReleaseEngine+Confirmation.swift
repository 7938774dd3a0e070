/// `plan.confirm`: a webhook asked before each promotion, like Flagger's confirm-promotion. While
/// it is asked the release holds (gates still roll back); a 2xx answer lets the promotion go at
/// the next moment the engine's own checks allow it (gates, bake, auto-advance, the router's
/// reading — or the operator's promote key); anything else holds, with the answer shown, until
/// `plan.confirm_retry` has passed and the webhook is asked again. Rollbacks are never asked.
extension ReleaseEngine {
    /// The promotion to the step at `index` (every check already passed), or — with
    /// `plan.confirm` — the question first.
    mutating func requestPromotion(to index: Int, by: String, reason: String) -> [ReleaseEffect] {
        guard plan.confirm != nil else { return promote(to: index, by: by, reason: reason) }
        let weight = plan.steps[index]
        var waiting: String?
        switch state.confirmation {
        case .approved(let approved, let at, let answer) where approved == index && state.now - at <= plan.confirmRetry:
            state.confirmation = nil
            state.confirmNotices = []
            return promote(to: index, by: by, reason: "\(reason) (plan.confirm: \(answer))")
        case .asking(let asked, _, _) where asked == index:
            waiting = "waiting for plan.confirm to approve \(weight)%"
        case .declined(let declined, let retryAt, let answer) where declined == index && state.now < retryAt:
            waiting = "plan.confirm declined \(weight)%: \(answer) (asked again in \(Format.seconds(retryAt - state.now)))"
        default:
            break
        }
        if let waiting {
            state.holdReason = waiting
            return by == "grayctl" ? [] : [.showMessage(waiting)]
        }
        state.confirmation = .asking(index: index, by: by, reason: reason)
        let ask = ReleaseEffect.askConfirmation(PromotionRequest(t: state.now, from: state.weight, to: weight, by: by, reason: reason))
        return [ask] + confirmHold("ask:\(index)", "asking plan.confirm to approve \(state.weight)% → \(weight)%")
    }

    /// `plan.confirm`'s answer about the promotion to `weight`; an answer to a question no longer
    /// open (a rollback, another step since) changes nothing.
    mutating func answered(_ weight: Int, approved: Bool, answer: String) -> [ReleaseEffect] {
        guard case .asking(let index, let by, _) = state.confirmation, plan.steps[index] == weight else { return [] }
        guard approved else {
            state.confirmation = .declined(index: index, retryAt: state.now + plan.confirmRetry, answer: answer)
            return confirmHold(
                "declined:\(index):\(answer)", "plan.confirm declined \(weight)%: \(answer); asked again in \(Format.seconds(plan.confirmRetry))")
        }
        state.confirmation = .approved(index: index, at: state.now, answer: answer)
        return by == "grayctl" ? evaluate() : handleOperator(.promote, by: by)
    }

    /// A hold about `plan.confirm`, announced the first time its `key` comes up for this step.
    private mutating func confirmHold(_ key: String, _ reason: String) -> [ReleaseEffect] {
        state.holdReason = reason
        guard state.confirmNotices.insert(key).inserted else { return [] }
        return [.announce(Decision(t: state.now, kind: .hold, reason: reason, report: state.report))]
    }
}
