/// The OpenAI error body: `{"error": {"message": "...", "type": "...", "code": "..."}}`.
struct WireErrorBody: Decodable {
    /// The `error` object.
    ///
    /// Some servers (and Azure) use a subset of its fields; a few send `error` as a bare string.
    struct Detail: Decodable {
        var message: String?
        var type: String?
        var code: String?

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                self.message = text
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.message = try? container.decodeIfPresent(String.self, forKey: .message)
            self.type = try? container.decodeIfPresent(String.self, forKey: .type)
            if let code = try? container.decodeIfPresent(String.self, forKey: .code) {
                self.code = code
            } else if let code = try? container.decodeIfPresent(Int.self, forKey: .code) {
                self.code = String(code)
            }
        }

        enum CodingKeys: String, CodingKey {
            case message, type, code
        }

        /// A one-line summary such as `rate_limit_exceeded: Rate limit reached`.
        var summary: String {
            let label = code ?? type
            switch (label, message) {
            case (let label?, let message?): return "\(label): \(message)"
            case (nil, let message?): return message
            case (let label?, nil): return label
            case (nil, nil): return ""
            }
        }
    }

    var error: Detail
}
