import Foundation

/// Bodies of the small GET endpoints.
enum Replies {
    /// `GET /v1/models`: a list holding the configured model.
    static func models(_ model: String) -> String {
        let created = Int(Date().timeIntervalSince1970)
        return #"{"object":"list","data":[{"id":\#(JSONText.quote(model)),"object":"model","created":\#(created),"owned_by":"frontier"}]}"#
    }

    /// `GET /stats`: the statistics as JSON with sorted keys.
    static func stats(_ stats: TestServerStats) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(stats), let text = String(data: data, encoding: .utf8) else {
            // Encoding plain integers and doubles cannot fail; this keeps the reply valid JSON anyway.
            return "{}"
        }
        return text
    }
}
