/// Reads a reply and, when it fails before yielding anything, reads the one `restart` starts instead.
///
/// The shared shape of retries and the fallback list. Once the consumer has seen an event, a failure ends the
/// reply: a second attempt would repeat or contradict text already shown. `restart` gets the failure and returns
/// the next reply to read, or throws to end with its error.
final class RestartingCursor: ChatEventCursor {
    typealias Restart = (ProviderError) async throws -> ChatEventStream

    private var start: (() -> ChatEventStream)?
    private let restart: Restart
    private var current: ChatEventStream.Iterator?
    private var yielded = false
    private var ended = false

    init(start: @escaping () -> ChatEventStream, restart: @escaping Restart) {
        self.start = start
        self.restart = restart
    }

    func next() async throws -> ChatStreamEvent? {
        while !ended {
            if let start {
                // A consumer that gave up before reading sends no request.
                if Task.isCancelled { throw end(.cancelled) }
                current = start().makeAsyncIterator()
                self.start = nil
            }
            do {
                guard let event = try await current?.next() else {
                    ended = true
                    current = nil
                    return nil
                }
                yielded = true
                return event
            } catch {
                let failure = ProviderError(wrapping: error)
                if yielded { throw end(failure) }
                current = nil
                do {
                    current = try await restart(failure).makeAsyncIterator()
                } catch {
                    throw end(ProviderError(wrapping: error))
                }
            }
        }
        return nil
    }

    private func end(_ error: ProviderError) -> ProviderError {
        ended = true
        current = nil
        return error
    }
}
