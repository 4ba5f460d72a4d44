/// Waits until `condition` holds, looking every 50 ms, for at most `limit`; returns whether it held.
///
/// For waits that happen once per connection (a socket's token expiring), where a signal would cost more code
/// than it saves. Cancellation ends the wait at once.
func waitUntil(within limit: Duration, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while !condition() {
        guard ContinuousClock.now < deadline, (try? await Task.sleep(for: .milliseconds(50))) != nil else {
            return condition()
        }
    }
    return true
}
