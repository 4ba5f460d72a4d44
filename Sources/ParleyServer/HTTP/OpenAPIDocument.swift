import Foundation
import ParleyCore

/// Builds the OpenAPI 3.1 document served at `/openapi.json` from the route table.
enum OpenAPIDocument {
    static func build(from routes: [RouteTable.Entry], version: String) -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for route in routes {
            let path = openAPIPath(route.path)
            var operation: [String: Any] = [
                "summary": route.summary, "tags": [route.tag],
                "operationId": operationID(route),
                "responses": [
                    "200": ["description": "Success", "content": ["application/json": ["schema": ["type": "object"]]]],
                    "4XX": ["$ref": "#/components/responses/Error"],
                    "5XX": ["$ref": "#/components/responses/Error"],
                ],
            ]
            let parameters = route.path.split(separator: "/").filter { $0.hasPrefix(":") }.map { segment in
                ["name": String(segment.dropFirst()), "in": "path", "required": true, "schema": ["type": "string"]]
                    as [String: Any]
            }
            if !parameters.isEmpty { operation["parameters"] = parameters }
            switch route.access {
            case .publicAccess: operation["security"] = [[String: Any]]()
            case .visitor: operation["security"] = [["visitorToken": [String]()]]
            case .staff(let role):
                operation["security"] = [["bearer": [String]()], ["apiKey": [String]()]]
                operation["x-parley-minimum-role"] = role.rawValue
            }
            if !route.body.isEmpty {
                let properties = route.body.mapValues { ["type": $0] }
                operation["requestBody"] = [
                    "required": true,
                    "content": [
                        "application/json": [
                            "schema": ["type": "object", "properties": properties, "required": route.required]
                        ]
                    ],
                ]
            }
            paths[path, default: [:]][route.method.rawValue.lowercased()] = operation
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Parley API", "version": version,
                "description": "The Parley chat gateway: widget sessions, chat, and administration. Every error is "
                    + "JSON of the form {\"error\": {\"code\", \"message\"}}.",
            ],
            "paths": paths,
            "components": [
                "securitySchemes": [
                    "bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"],
                    "apiKey": ["type": "apiKey", "in": "header", "name": "X-API-Key"],
                    "visitorToken": [
                        "type": "http", "scheme": "bearer", "description": "A visitor token from /api/widget/session",
                    ],
                ],
                "schemas": [
                    "Error": [
                        "type": "object", "required": ["error"],
                        "properties": [
                            "error": [
                                "type": "object", "required": ["code", "message"],
                                "properties": ["code": ["type": "string"], "message": ["type": "string"]],
                            ]
                        ],
                    ]
                ],
                "responses": [
                    "Error": [
                        "description": "An error",
                        "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]],
                    ]
                ],
            ],
        ]
    }

    /// `/api/domains/:id` → `/api/domains/{id}`.
    static func openAPIPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
    }

    private static func operationID(_ route: RouteTable.Entry) -> String {
        let words = route.path.split(separator: "/").map { $0.hasPrefix(":") ? "by_" + $0.dropFirst() : String($0) }
        return ([route.method.rawValue.lowercased()] + words).joined(separator: "_")
            .replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: ".", with: "_")
    }
}
