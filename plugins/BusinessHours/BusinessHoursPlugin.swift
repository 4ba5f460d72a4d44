import ParleyCore

/// The example plugin: one stage that answers outside the tenant's business hours.
public enum BusinessHoursPlugin: Plugin {
    public static let name = "Business hours"

    public static func register(in registry: inout StageRegistry) {
        registry.register(BusinessHoursStage.self)
    }
}
