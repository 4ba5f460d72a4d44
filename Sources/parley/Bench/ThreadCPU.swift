import Foundation

/// CPU time this process's threads have used, summed by what the threads do (Linux `/proc/self/task`).
///
/// `parley bench http` samples it around each run and divides by the requests served: CPU per request is steadier
/// than requests per second on a shared machine, and it says which threads a route's time goes to.
struct ThreadCPU {
    /// Seconds of CPU (user and system) by thread group.
    var seconds: [Group: Double] = [:]

    /// What a group of threads does, known by the threads' names.
    enum Group: String, CaseIterable {
        case eventLoops = "event loops"
        case tasks = "tasks"
        case writer = "SQLite writer"
        case checkpoints = "checkpoints"
        case blockingPool = "blocking pool"

        /// The group of a thread named `name`: NIO's event loops and blocking pool, the store's named threads, and
        /// everything else, which is chiefly Swift concurrency's cooperative pool.
        init(threadName name: String) {
            if name.hasPrefix("NIO-SGLTN-") || name.hasPrefix("NIO-ELT-") {
                self = .eventLoops
            } else if name.hasPrefix("sqlite-writer") {
                self = .writer
            } else if name.hasPrefix("sqlite-checkpt") {
                self = .checkpoints
            } else if name.hasPrefix("SGLTN-TP-#") || name.hasPrefix("TP-#") {
                self = .blockingPool
            } else {
                self = .tasks
            }
        }
    }

    /// The CPU time each thread of the process has used so far, read at one moment.
    struct Sample {
        /// Seconds of CPU of each thread, by thread id, with its group.
        var threads: [Int: (group: Group, seconds: Double)] = [:]

        /// The threads' CPU time now; empty where `/proc` is not there.
        static func now() -> Sample {
            var sample = Sample()
            let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
            for task in tasks {
                guard let id = Int(task),
                    let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                    let nameEnd = stat.lastIndex(of: ")"), let nameStart = stat.firstIndex(of: "(")
                else { continue }
                // After the name: state, then 10 fields, then utime and stime (fields 14 and 15 of the whole line).
                let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
                guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
                    continue
                }
                let group = Group(threadName: String(stat[stat.index(after: nameStart)..<nameEnd]))
                sample.threads[id] = (group, (user + system) / ticks)
            }
            return sample
        }

        /// The CPU time used between `earlier` and this sample, by group, taken thread by thread.
        ///
        /// A thread that started in between counts from zero; one that ended in between (Dispatch retires idle
        /// workers) is missing from this sample, so its last moments are not counted, and its earlier time is not
        /// subtracted.
        func cpu(since earlier: Sample) -> ThreadCPU {
            var difference = ThreadCPU()
            for group in Group.allCases { difference.seconds[group] = 0 }
            for (id, thread) in threads {
                let before = earlier.threads[id]?.seconds ?? 0
                difference.seconds[thread.group, default: 0] += max(0, thread.seconds - before)
            }
            return difference
        }
    }

    /// All groups together.
    var total: Double { seconds.values.reduce(0, +) }
}
