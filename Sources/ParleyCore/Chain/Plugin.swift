/// A bundle of stages compiled into the server from a folder under `plugins/`.
///
/// Adding one: make `plugins/NAME/`, declare a target for it in `Package.swift`, conform a type to `Plugin`,
/// and list it in the server's `Plugins.all`.
public protocol Plugin {
    /// The plugin's name, as shown to admins.
    static var name: String { get }
    /// Adds the plugin's stages to the registry.
    static func register(in registry: inout StageRegistry)
}
