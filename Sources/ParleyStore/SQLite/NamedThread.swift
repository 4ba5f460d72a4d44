import Foundation
import NIOPosix

extension NIOThreadPool {
    /// A started pool of one thread named `name` (Linux keeps 15 bytes), so `top -H`, `perf` and the benchmarks'
    /// CPU accounting can tell the store's threads apart.
    static func namedThread(_ name: String) -> NIOThreadPool {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        // The first job on the pool's only thread names it; elsewhere than Linux the write fails and nothing changes.
        pool.submit { _ in
            try? String(decoding: name.utf8.prefix(15), as: UTF8.self)
                .write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
        }
        return pool
    }
}
