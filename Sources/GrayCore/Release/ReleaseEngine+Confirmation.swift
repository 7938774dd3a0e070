/// `plan.confirm`: a webhook asked before each promotion, like Flagger's confirm-promotion. While
/// it is asked the release holds (gates still roll back); a 2xx answer sends the promotion if it
/// is still the next step and nothing blocks it; anything else holds, with the answer shown, until
/// `plan.confirm_retry` has passed and the webhook is asked again. Rollbacks are never asked.
extension ReleaseEngine {
    /// The promotion to the step at `index`, or — with `plan.confirm` — the question first.
    mutating func requestPromotion(to index: Int, by: String, reason: String) -> [ReleaseEffect] {
        guard plan.confirm != nil else { return promote(to: index, by: by, reason: reason) }
        let weight = plan.steps[index]
        switch state.confirmation {
        case .asking(let asked, _, _) where asked == index:
            state.holdReason = "waiting for plan.confirm to approve \(weight)%"
            return []
        case .declined(let declined, let retryAt, let answer) where declined == index && state.now < retryAt:
            state.holdReason = "plan.confirm declined \(weight)%: \(answer) (asked again in \(Format.seconds(retryAt - state.now)))"
            return []
        default:
            state.confirmation = .asking(index: index, by: by, reason: reason)
            state.holdKey = nil
            return [.askConfirmation(PromotionRequest(t: state.now, from: state.weight, to: weight, by: by, reason: reason))]
                + hold(key: "confirm:asking:\(index)", reason: "asking plan.confirm to approve \(state.weight)% → \(weight)%")
        }
    }

    /// `plan.confirm`'s answer about the promotion to `weight`; an answer to a question no longer
    /// open (a rollback, another step since) changes nothing.
    mutating func answered(_ weight: Int, approved: Bool, answer: String) -> [ReleaseEffect] {
        guard case .asking(let index, let by, let reason) = state.confirmation, plan.steps[index] == weight else { return [] }
        guard approved else {
            state.confirmation = .declined(index: index, retryAt: state.now + plan.confirmRetry, answer: answer)
            state.holdKey = nil
            return hold(
                key: "confirm:declined:\(index)",
                reason: "plan.confirm declined \(weight)%: \(answer); asked again in \(Format.seconds(plan.confirmRetry))")
        }
        state.confirmation = nil
        guard !state.isDecided, state.pending == nil, index == state.stepIndex + 1,
            state.report.tripped == nil, state.report.blocking(starting: state.stepIndex < 0) == nil
        else { return [] }
        return promote(to: index, by: by, reason: "\(reason) (plan.confirm: \(answer))")
    }
}
