/// Why the built-in embedder could not load its model files.
///
/// Every problem with the files on disk is reported with one of these cases; loading never traps on bad input.
public enum EmbedderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A required file is not there.
    case missingFile(path: String)
    /// A file exists but could not be read.
    case unreadableFile(path: String, reason: String)
    /// The weights file is not a well-formed safetensors file.
    case invalidSafeTensors(path: String, reason: String)
    /// The weights file lacks a tensor that the model needs.
    case missingTensor(name: String)
    /// A tensor has a shape other than the one the model needs.
    case tensorShapeMismatch(name: String, expected: [Int], actual: [Int])
    /// A tensor is stored in a data type the reader does not decode.
    case unsupportedDataType(name: String, dataType: String)
    /// The vocabulary file is empty, lacks a special token or does not fit the weights.
    case invalidVocabulary(path: String, reason: String)
    /// The model configuration is unusable.
    case invalidConfiguration(path: String, reason: String)

    public var description: String {
        switch self {
        case .missingFile(let path):
            return "missing model file: \(path)"
        case .unreadableFile(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .invalidSafeTensors(let path, let reason):
            return "not a valid safetensors file: \(path): \(reason)"
        case .missingTensor(let name):
            return "the weights lack tensor '\(name)'"
        case .tensorShapeMismatch(let name, let expected, let actual):
            return "tensor '\(name)' has shape \(actual), expected \(expected)"
        case .unsupportedDataType(let name, let dataType):
            return "tensor '\(name)' has unsupported data type \(dataType)"
        case .invalidVocabulary(let path, let reason):
            return "invalid vocabulary \(path): \(reason)"
        case .invalidConfiguration(let path, let reason):
            return "invalid model configuration \(path): \(reason)"
        }
    }
}
