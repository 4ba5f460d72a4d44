import Foundation

/// A stage type as the registry keeps it: its manifest, its default settings, and how to build it from JSON settings.
public struct RegisteredStage: Sendable {
    /// The stage's manifest.
    public let manifest: StageManifest
    /// The default settings in JSON form; also the basis of the settings schema.
    public let defaultSettings: [String: JSONValue]
    private let build: @Sendable ([String: JSONValue]) -> Result<any ChainStep, SettingsProblems>

    init<S: Stage>(_ type: S.Type) {
        manifest = S.manifest
        let defaults = (try? JSONValue.encoding(S.Settings()).objectValue) ?? [:]
        defaultSettings = defaults
        build = { overrides in
            var problems = overrides.keys.filter { defaults[$0] == nil }.sorted().map { "unknown setting '\($0)'" }
            let merged = defaults.merging(overrides) { _, new in new }
            let settings: S.Settings
            do {
                settings = try JSONValue.object(merged).decode(as: S.Settings.self)
            } catch {
                problems.append(Self.describe(error))
                return .failure(SettingsProblems(messages: problems))
            }
            problems += settings.validate()
            guard problems.isEmpty else { return .failure(SettingsProblems(messages: problems)) }
            return .success(StageStep(stage: S(settings: settings)))
        }
    }

    init(step: any ChainStep) {
        manifest = step.manifest
        defaultSettings = [:]
        build = { overrides in
            guard overrides.isEmpty else {
                return .failure(SettingsProblems(messages: overrides.keys.sorted().map { "unknown setting '\($0)'" }))
            }
            return .success(step)
        }
    }

    /// Builds the stage with `settings` laid over the defaults, or says what is wrong with them.
    func makeStep(settings: [String: JSONValue]) -> Result<any ChainStep, SettingsProblems> {
        build(settings)
    }

    /// A JSON Schema of the settings object, derived from the defaults.
    public var settingsSchema: JSONValue {
        let properties = defaultSettings.mapValues { value -> JSONValue in
            .object(["type": .string(value.typeName), "default": value])
        }
        return .object([
            "type": "object", "additionalProperties": false, "properties": .object(properties),
        ])
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "invalid settings" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "setting '\(path(context))' must be of type \(type)"
        case .valueNotFound(_, let context):
            return "setting '\(path(context))' must not be null"
        case .keyNotFound(let key, _):
            return "setting '\(key.stringValue)' is missing"
        case .dataCorrupted(let context):
            return "setting '\(path(context))' is invalid: \(context.debugDescription)"
        @unknown default:
            return "invalid settings"
        }
    }
}

/// The messages explaining why a stage's settings were refused.
struct SettingsProblems: Error {
    var messages: [String]
}
