import BusinessHoursPlugin
import ParleyCore
import ParleyStages

/// The stages this server knows, in default chain order: built-ins and the plugins compiled in.
public enum StageCatalog {
    /// Plugins compiled into this server.
    ///
    /// Adding a plugin: add its target to Package.swift and list it here.
    public static var plugins: [any Plugin.Type] { [BusinessHoursPlugin.self] }

    /// A registry with every stage in default chain order; plugin stages start disabled.
    public static func registry() -> StageRegistry {
        var registry = StageRegistry()
        registry.register(ModerationStage.self)
        registry.register(PIIRedactionStage.self)
        registry.register(LanguageStage.self)
        registry.register(SentimentStage.self)
        registry.register(IntentStage.self)
        for plugin in plugins { plugin.register(in: &registry) }
        registry.register(RulesStage.self)
        registry.register(RetrievalStage.self)
        registry.register(GenerationStage.self)
        registry.register(OutputGuardStage.self)
        registry.register(FallbackStage.self)
        registry.register(EscalationStage.self)
        return registry
    }
}
