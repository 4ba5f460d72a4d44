import Testing

@testable import ParleyServer

/// Password checks: bcrypt off the event loops, and a bounded number at once.
@Suite("Password hasher")
struct PasswordHasherTests {
    @Test("checks beyond the concurrent limit are refused at once with 503; the admitted ones answer correctly")
    func boundedChecks() async throws {
        let hasher = try await PasswordHasher.make(cost: 8)
        let hash = try await hasher.hash("right")
        let callers = PasswordHasher.maxConcurrentChecks * 3
        let outcomes = await withTaskGroup(of: Result<Bool, APIError>.self) { group in
            for _ in 0..<callers {
                group.addTask {
                    do {
                        return .success(try await hasher.verify("right", hash: hash))
                    } catch let error as APIError {
                        return .failure(error)
                    } catch {
                        return .failure(APIError(.internalServerError, "unexpected", "\(error)"))
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let refusals = outcomes.compactMap { if case .failure(let error) = $0 { error } else { nil } }
        #expect(!refusals.isEmpty, "\(callers) checks at once on a pool of a few threads overflow the limit")
        #expect(refusals.allSatisfy { $0.status == .serviceUnavailable && $0.headers[.retryAfter] == "1" })
        #expect(outcomes.allSatisfy { if case .success(let matched) = $0 { matched } else { true } })
        #expect(hasher.checks.count.load(ordering: .relaxed) == 0, "every check gave its place back")
        #expect(try await hasher.verify("wrong", hash: hash) == false)
    }
}
